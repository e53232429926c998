"""Volumes, outcomes, auto-approval and pend rates, and time to decision for the dashboard.

Volumes, outcomes and rates come from two grouped queries (cases received per bucket; cases
closed per bucket and status) plus one for withdrawn / voided closings, whatever the period.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DateField, F, Q
from django.db.models.functions import Trunc

from determinations.models import Determination
from intake.models import LineOfBusiness, Priority, StatusEvent
from intake.models.care_request import CareRequestStatus as S

from ..filters import ReportFilters
from .scope import (
    CLOSED_WITH_DECISION,
    CLOSED_WITHOUT_DECISION,
    DECIDED,
    decided_in_period,
    filters_q,
    received_in_period,
)
from .stats import DurationStats, duration_stats


def percent(part: int, whole: int) -> Decimal | None:
    """A percentage to one decimal place (half up), or None when there is nothing to divide."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class VolumeBucket:
    start: date
    received: int
    decided: int  # closed with a decision date: decided or "no authorization required"


@dataclass(frozen=True)
class OutcomeRow:
    status: str
    label: str
    count: int
    share: Decimal | None  # of approved + partially approved + denied; None for other closings


@dataclass(frozen=True)
class Rates:
    decided: int
    auto_approved: int
    received: int
    pended: int

    @property
    def auto_approval_rate(self) -> Decimal | None:
        return percent(self.auto_approved, self.decided)

    @property
    def pend_rate(self) -> Decimal | None:
        return percent(self.pended, self.received)


@dataclass(frozen=True)
class VolumeSummary:
    buckets: list[VolumeBucket]
    outcomes: list[OutcomeRow]
    rates: Rates


OUTCOME_ORDER = (*DECIDED, S.CLOSED_NO_AUTH_REQUIRED, *CLOSED_WITHOUT_DECISION)


def bucket_starts(filters: ReportFilters) -> list[date]:
    """Every day (or Monday) of the period, so empty days show as zero rather than vanish."""
    if filters.granularity == "week":
        first = filters.start - timedelta(days=filters.start.weekday())
        step = timedelta(days=7)
    else:
        first, step = filters.start, timedelta(days=1)
    starts, day = [], first
    while day <= filters.end:
        starts.append(day)
        day += step
    return starts


def _auto_approved_q() -> Q:
    """Approved by the rules engine: a rules determination or the auto_approve transition.

    Uncorrelated IN-subqueries: PostgreSQL hashes each once ("hashed SubPlan"), where a
    correlated EXISTS inside COUNT(...) FILTER would run once per case.
    """
    by_rules = Determination.objects.filter(source=Determination.Source.RULES).exclude(
        outcome=Determination.Outcome.NOT_REQUIRED
    )
    events = StatusEvent.objects.filter(transition="auto_approve")
    return Q(status=S.APPROVED) & (
        Q(pk__in=by_rules.values("care_request_id")) | Q(pk__in=events.values("care_request_id"))
    )


def _pended_q() -> Q:
    pends = StatusEvent.objects.filter(to_status=S.PENDING_INFO)
    return Q(pk__in=pends.values("care_request_id"))


def _closed_without_decision(filters: ReportFilters) -> dict[str, int]:
    """Withdrawn and voided cases have no decision date: the status event that closed them
    dates them."""
    rows = (
        StatusEvent.objects.filter(
            filters_q(filters, path="care_request__", outer="care_request_id"),
            to_status__in=CLOSED_WITHOUT_DECISION,
            # Only a case still in that status: a reopened case must not count twice.
            care_request__status=F("to_status"),
            at__gte=filters.start_at,
            at__lt=filters.end_at,
        )
        .order_by()
        .values_list("to_status")
        .annotate(n=Count("care_request", distinct=True))
    )
    return dict(rows)


def volume_summary(filters: ReportFilters) -> VolumeSummary:
    """Received and decided per day or week, closings by outcome, and the two rates.

    Received: received_at in the period (withdrawn and voided included). Decided: decided_at in
    the period, with status approved, partially approved, denied or no authorization required.
    Auto-approval rate: of the approved + partially approved + denied, the ones the rules engine
    approved. Pend rate: of the received, those that went through pending_info at least once.
    """
    granularity = filters.granularity
    received_rows = (
        received_in_period(filters)
        .annotate(bucket=Trunc("received_at", granularity, output_field=DateField()))
        .values("bucket")
        .annotate(n=Count("pk"), pended=Count("pk", filter=_pended_q()))
    )
    received = {row["bucket"]: row for row in received_rows}
    decided_rows = list(
        decided_in_period(filters, CLOSED_WITH_DECISION)
        .annotate(bucket=Trunc("decided_at", granularity, output_field=DateField()))
        .values("bucket", "status")
        .annotate(n=Count("pk"), auto=Count("pk", filter=_auto_approved_q()))
    )
    decided_per_bucket: dict[date, int] = {}
    per_status: dict[str, int] = {}
    for row in decided_rows:
        decided_per_bucket[row["bucket"]] = decided_per_bucket.get(row["bucket"], 0) + row["n"]
        per_status[row["status"]] = per_status.get(row["status"], 0) + row["n"]
    per_status.update(_closed_without_decision(filters))
    decided_total = sum(per_status.get(s, 0) for s in DECIDED)
    buckets = [
        VolumeBucket(
            start=day,
            received=received[day]["n"] if day in received else 0,
            decided=decided_per_bucket.get(day, 0),
        )
        for day in bucket_starts(filters)
    ]
    outcomes = [
        OutcomeRow(
            status=status,
            label=S(status).label,
            count=per_status.get(status, 0),
            share=percent(per_status.get(status, 0), decided_total) if status in DECIDED else None,
        )
        for status in OUTCOME_ORDER
    ]
    rates = Rates(
        decided=decided_total,
        auto_approved=sum(r["auto"] for r in decided_rows),
        received=sum(r["n"] for r in received.values()),
        pended=sum(r["pended"] for r in received.values()),
    )
    return VolumeSummary(buckets=buckets, outcomes=outcomes, rates=rates)


def volumes(filters: ReportFilters) -> list[VolumeBucket]:
    return volume_summary(filters).buckets


def outcomes(filters: ReportFilters) -> list[OutcomeRow]:
    return volume_summary(filters).outcomes


def rates(filters: ReportFilters) -> Rates:
    return volume_summary(filters).rates


# --- time to decision -----------------------------------------------------------------------


@dataclass(frozen=True)
class TimeToDecisionRow:
    priority: str
    priority_label: str
    lob: str  # "" for all lines of business
    lob_label: str
    stats: DurationStats


def time_to_decision(
    filters: ReportFilters, *, in_database: bool | None = None
) -> list[TimeToDecisionRow]:
    """decided_at − received_at for cases decided in the period (approved, partially approved,
    denied), by priority and line of business, with an "all lines" row per priority."""
    qs = decided_in_period(filters)
    # Both levels in one query (GROUPING SETS on PostgreSQL): the "all lines" row of a
    # priority is keyed (priority,), the others (priority, line of business).
    stats = duration_stats(
        qs,
        group_by=("priority", "coverage__plan__line_of_business"),
        subtotal_by=("priority",),
        in_database=in_database,
    )
    rows = []
    for priority in Priority:
        if (priority.value,) not in stats:
            continue
        for lob in LineOfBusiness:
            by_lob = stats.get((priority.value, lob.value))
            if by_lob:
                rows.append(TimeToDecisionRow(priority, priority.label, lob, lob.label, by_lob))
        rows.append(
            TimeToDecisionRow(priority, priority.label, "", "All lines", stats[(priority.value,)])
        )
    return rows
