"""Pages without a COUNT: read one row past the page to know whether another follows.

For lists whose total nobody needs and whose COUNT is the dearest query of the page (a
provider's requests through object-permission grants: ~40 ms of a ~90 ms page on 100,000 cases,
docs/benchmarks.md). The page costs one query however long the list.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    rows: list
    number: int
    has_previous: bool
    has_next: bool

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def page_number(raw) -> int:
    """A page number from the query string: anything not a positive integer is page 1."""
    try:
        return max(int(raw), 1)
    except (TypeError, ValueError):
        return 1


def page_of(queryset, *, number: int, per_page: int) -> Page:
    """Page `number` (from 1) of an ordered queryset, in one query."""
    number = max(number, 1)
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    return Page(
        rows=rows[:per_page],
        number=number,
        has_previous=number > 1,
        has_next=len(rows) > per_page,
    )
