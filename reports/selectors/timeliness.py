"""Timeliness (NCQA UM 5): decisions and notifications within the regulatory timeframe.

A decision is on time when decided_at <= due_at (a decision exactly at the deadline is on time).
due_at already carries a documented extension. The notification time is when the first letter
about the case was delivered (an e-mail when the mail server took it, a printed letter when the
mail house reported it mailed); a case with no letter delivered yet counts as "not notified".
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from django.db.models import (
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
)
from django.db.models.functions import Trunc

from intake.models import LineOfBusiness, Priority

from ..filters import ReportFilters
from ..rollup.read import decision_rows
from .scope import decided_in_period
from .volumes import percent
from .workload import case_url

LOB_FIELD = "coverage__plan__line_of_business"


@dataclass
class TimelinessRow:
    month: date | None
    priority: str
    lob: str
    decided: int = 0
    on_time: int = 0
    notified_on_time: int = 0
    notified_late: int = 0
    not_notified: int = 0
    labels: dict = field(default_factory=dict)

    @property
    def late(self) -> int:
        return self.decided - self.on_time

    @property
    def on_time_rate(self) -> Decimal | None:
        return percent(self.on_time, self.decided)

    @property
    def notified_on_time_rate(self) -> Decimal | None:
        return percent(self.notified_on_time, self.decided)

    @property
    def priority_label(self) -> str:
        return Priority(self.priority).label if self.priority else "All"

    @property
    def lob_label(self) -> str:
        return LineOfBusiness(self.lob).label if self.lob else "All"

    def add(self, other: "TimelinessRow") -> None:
        self.decided += other.decided
        self.on_time += other.on_time
        self.notified_on_time += other.notified_on_time
        self.notified_late += other.notified_late
        self.not_notified += other.not_notified


def _timed_cases(filters: ReportFilters) -> QuerySet:
    return decided_in_period(filters).filter(due_at__isnull=False, received_at__isnull=False)


# A case's letters: LEFT JOINed in the aggregate below, so every count there is DISTINCT.
# Delivered, not sent: a printed letter notifies only once it was really mailed (mailroom).
LETTER_SENT = "determinations__letters__delivered_at"


def _count_cases(condition: Q | None = None) -> Count:
    return Count("pk", distinct=True, filter=condition)


def timeliness(filters: ReportFilters) -> list[TimelinessRow]:
    """Decided cases of the period by month of decision, priority and line of business, from
    the daily summaries (reports.rollup): at a million cases a 12-month period reads ~13,000
    summary rows instead of ~600,000 cases and their letters. Equal to `timeliness_live`
    (tests/reports/test_rollup.py)."""
    groups: dict[tuple, TimelinessRow] = {}
    for r in decision_rows(
        start=filters.start,
        end=filters.end,
        plan=filters.plan,
        lob=filters.lob,
        category=filters.category,
    ):
        if not r.timed:
            continue
        key = (r.day.replace(day=1), r.priority, r.lob)
        row = groups.setdefault(key, TimelinessRow(month=key[0], priority=r.priority, lob=r.lob))
        row.decided += r.timed
        row.on_time += r.on_time
        row.notified_on_time += r.notified_on_time
        row.notified_late += r.notified - r.notified_on_time
        row.not_notified += r.timed - r.notified
    return [groups[key] for key in sorted(groups)]


def timeliness_live(filters: ReportFilters) -> list[TimelinessRow]:
    """Decided cases of the period by month of decision, priority and line of business.

    Notified: a letter about the case was delivered; on time: one was delivered by the due date
    (so the first letter was). The letters are joined to their cases and counted in the same grouped
    aggregate, DISTINCT per case because a case can have several determinations and letters.
    Two `IN (letters of the period's cases)` filters took twice as long at 100,000 cases (280
    against 160 ms over 12 months): each hashed 66,000 letters joined to their cases. A larger
    `work_mem` for the sort that spills to disk here was measured too and saved nothing.
    """
    rows = (
        _timed_cases(filters)
        .annotate(month=Trunc("decided_at", "month", output_field=DateField()))
        .values("month", "priority", LOB_FIELD)
        .annotate(
            n=_count_cases(),
            on_time=_count_cases(Q(decided_at__lte=F("due_at"))),
            notified=_count_cases(Q(**{f"{LETTER_SENT}__isnull": False})),
            notified_on_time=_count_cases(Q(**{f"{LETTER_SENT}__lte": F("due_at")})),
        )
        .order_by("month", "priority", LOB_FIELD)
    )
    return [
        TimelinessRow(
            month=row["month"],
            priority=row["priority"],
            lob=row[LOB_FIELD],
            decided=row["n"],
            on_time=row["on_time"],
            notified_on_time=row["notified_on_time"],
            notified_late=row["notified"] - row["notified_on_time"],
            not_notified=row["n"] - row["notified"],
        )
        for row in rows
    ]


def subtotals(rows: list[TimelinessRow], *, by: str) -> list[TimelinessRow]:
    """Sum the detailed rows by "month", "priority", "lob" or "" (grand total); the counts
    are additive so no second query is needed."""
    groups: dict[object, TimelinessRow] = {}
    for row in rows:
        key = getattr(row, by) if by else None
        total = groups.setdefault(
            key,
            TimelinessRow(
                month=row.month if by == "month" else None,
                priority=row.priority if by == "priority" else "",
                lob=row.lob if by == "lob" else "",
            ),
        )
        total.add(row)
    return list(groups.values())


@dataclass(frozen=True)
class LateCase:
    id: UUID
    reference: str
    priority: str
    lob: str
    received_at: datetime
    due_at: datetime
    decided_at: datetime
    lateness: timedelta
    status: str

    @property
    def url(self) -> str:
        return case_url(self.id)

    @property
    def lob_label(self) -> str:
        return LineOfBusiness(self.lob).label

    @property
    def priority_label(self) -> str:
        return Priority(self.priority).label


def late_cases(filters: ReportFilters) -> QuerySet:
    """Cases decided after their due date, latest first; rows are dicts for LateCase(**row)."""
    return (
        _timed_cases(filters)
        .filter(decided_at__gt=F("due_at"))
        .annotate(
            lateness=ExpressionWrapper(F("decided_at") - F("due_at"), output_field=DurationField()),
            lob=F(LOB_FIELD),
        )
        .order_by("-lateness", "reference")
        .values(
            "id",
            "reference",
            "priority",
            "lob",
            "received_at",
            "due_at",
            "decided_at",
            "lateness",
            "status",
        )
    )


def as_late_cases(rows) -> list[LateCase]:
    return [LateCase(**row) for row in rows]
