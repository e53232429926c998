"""Per-case facts of decided cases and their sums per day × plan × priority × status × category.

The same code fills the summary table and computes, at report time, the days the table cannot
answer (today, days not built yet, days touched since the last sweep), so both sides of a
report always agree on the definitions (those of reports.selectors.cms0057 and .timeliness).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate

from determinations.models import Letter
from intake.models import CareRequest, ServiceLine

from ..filters import local_midnight
from ..selectors.scope import DECIDED

Key = tuple[date, int, str, str, int | None]  # day, plan, priority, status, category (None: all)


@dataclass
class DayRow:
    day: date
    plan_id: int
    priority: str
    status: str
    category_id: int | None
    lob: str = ""
    decided: int = 0
    extended: int = 0
    timed: int = 0
    on_time: int = 0
    notified: int = 0
    notified_on_time: int = 0
    durations: list[int] = field(default_factory=list)  # microseconds, sorted once built

    @property
    def key(self) -> Key:
        return (self.day, self.plan_id, self.priority, self.status, self.category_id)


def day_runs(days: Iterable[date]) -> list[tuple[date, date]]:
    """Contiguous runs of days as (first, last) pairs, so a set of days becomes few ranges."""
    runs: list[tuple[date, date]] = []
    for day in sorted(set(days)):
        if runs and runs[-1][1] + timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def runs_q(runs: list[tuple[date, date]], path: str = "") -> Q:
    """decided_at inside any of the runs (local days)."""
    q = Q(pk__in=[])
    for first, last in runs:
        q |= Q(
            **{
                f"{path}decided_at__gte": local_midnight(first),
                f"{path}decided_at__lt": local_midnight(last + timedelta(days=1)),
            }
        )
    return q


def _micros(delta: timedelta) -> int:
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def decided_cases(runs: list[tuple[date, date]], *, plan=None, lob: str = "", category=None):
    """One row per decided case of the runs: the facts the summaries count (one query)."""
    # The first letter delivered: notified when there is one, on time when it was delivered by
    # the due date (one delivered by then exists exactly when the first one was). Delivered, not
    # sent: a printed letter counts only once the mail house's return file says it was mailed
    # (mailroom). One correlated subquery instead of two EXISTS halves the per-case cost of a
    # live day (~2,700 cases at 1M a year).
    first_sent = (
        Letter.objects.filter(
            determination__care_request=OuterRef("pk"), delivered_at__isnull=False
        )
        .order_by("delivered_at")
        .values("delivered_at")[:1]
    )
    qs = CareRequest.objects.filter(runs_q(runs), status__in=DECIDED).order_by()
    if plan is not None:
        qs = qs.filter(coverage__plan=plan)
    if lob:
        qs = qs.filter(coverage__plan__line_of_business=lob)
    if category is not None:
        qs = qs.filter(
            Exists(ServiceLine.objects.filter(care_request=OuterRef("pk"), category=category))
        )
    return qs.annotate(
        day=TruncDate("decided_at"),
        plan_id=F("coverage__plan_id"),
        lob=F("coverage__plan__line_of_business"),
        first_sent=Subquery(first_sent),
    ).values_list(
        "pk",
        "day",
        "plan_id",
        "lob",
        "priority",
        "status",
        "received_at",
        "due_at",
        "decided_at",
        "original_due_at",
        "first_sent",
    )


def case_categories(cases) -> dict:
    """Each case's service categories (one query; `cases` is a queryset of case ids)."""
    result: dict = {}
    rows = (
        ServiceLine.objects.filter(care_request__in=cases)
        .order_by()
        .values_list("care_request_id", "category_id")
        .distinct()
    )
    for case_id, category_id in rows:
        result.setdefault(case_id, set()).add(category_id)
    return result


def summarise(cases: Iterable[tuple], categories: dict, *, with_categories: bool = True) -> dict:
    """Sum per-case facts (rows of `decided_cases`) into DayRows keyed by DayRow.key."""
    rows: dict[Key, DayRow] = {}
    for (
        pk,
        day,
        plan_id,
        lob,
        priority,
        status,
        received_at,
        due_at,
        decided_at,
        original_due_at,
        first_sent,
    ) in cases:
        targets = [None, *sorted(categories.get(pk, ()))] if with_categories else [None]
        timed = due_at is not None and received_at is not None
        for category_id in targets:
            key = (day, plan_id, priority, status, category_id)
            row = rows.get(key)
            if row is None:
                row = rows[key] = DayRow(day, plan_id, priority, status, category_id, lob)
            row.decided += 1
            row.extended += original_due_at is not None
            if received_at is not None:
                row.durations.append(_micros(decided_at - received_at))
            if timed:
                row.timed += 1
                row.on_time += decided_at <= due_at
                row.notified += first_sent is not None
                row.notified_on_time += first_sent is not None and first_sent <= due_at
    for row in rows.values():
        row.durations.sort()
    return rows


def live_rows(runs, *, plan=None, lob: str = "", category=None) -> list[DayRow]:
    """DayRows computed from the cases of the runs, for the asked scope only: the rows of
    every category (category None) or of one (one query; none for no runs)."""
    if not runs:
        return []
    cases = decided_cases(runs, plan=plan, lob=lob, category=category)
    summed = summarise(cases, {}, with_categories=False)
    if category is not None:
        for row in summed.values():
            row.category_id = category.pk
    return list(summed.values())
