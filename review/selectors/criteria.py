"""Which current criteria set applies to a service line."""

from collections.abc import Iterable

from django.db.models import Prefetch

from intake.models import ServiceLine

from ..models import CriteriaSet, Criterion


def criteria_set_list_current() -> list[CriteriaSet]:
    """Every current criteria set with its criteria: two queries. The table is small (one row per
    service family), and JSON `contains` lookups are not portable to SQLite, so matching codes
    happens in Python."""
    return list(
        CriteriaSet.objects.filter(is_current=True).prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.order_by("sequence"))
        )
    )


def criteria_set_for_line_map(lines: Iterable[ServiceLine]) -> dict:
    """{line.pk: the current CriteriaSet for its code, or None}."""
    by_code: dict[tuple[str, str], CriteriaSet] = {}
    for criteria_set in criteria_set_list_current():
        for code in criteria_set.codes:
            by_code.setdefault((criteria_set.code_system, str(code).upper()), criteria_set)
    return {line.pk: by_code.get((line.code_system, line.code.upper())) for line in lines}
