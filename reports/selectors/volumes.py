"""Volumes, outcomes, time to decision, auto-approval and pend rates for the dashboard."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DateField, Exists, F, OuterRef, Q
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


# --- volumes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class VolumeBucket:
    start: date
    received: int
    decided: int


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


def _counts_by_bucket(qs, field: str, granularity: str) -> dict[date, int]:
    rows = (
        qs.annotate(bucket=Trunc(field, granularity, output_field=DateField()))
        .values("bucket")
        .annotate(n=Count("pk"))
    )
    return {row["bucket"]: row["n"] for row in rows}


def volumes(filters: ReportFilters) -> list[VolumeBucket]:
    """Cases received and cases closed with a decision (incl. "no authorization required")
    per day or week. Withdrawn and voided cases count as received, not as decided."""
    received = _counts_by_bucket(received_in_period(filters), "received_at", filters.granularity)
    decided = _counts_by_bucket(
        decided_in_period(filters, CLOSED_WITH_DECISION), "decided_at", filters.granularity
    )
    return [
        VolumeBucket(start=day, received=received.get(day, 0), decided=decided.get(day, 0))
        for day in bucket_starts(filters)
    ]


# --- outcomes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeRow:
    status: str
    label: str
    count: int
    share: Decimal | None  # of approved + partially approved + denied; None for other closings


OUTCOME_ORDER = (*DECIDED, S.CLOSED_NO_AUTH_REQUIRED, *CLOSED_WITHOUT_DECISION)


def outcomes(filters: ReportFilters) -> list[OutcomeRow]:
    """Cases closed in the period by final status.

    Decided cases are dated by decided_at. Withdrawn and voided cases have no decision date, so
    they are dated by the status event that closed them; they are listed but take no share.
    """
    counts = dict(
        decided_in_period(filters, CLOSED_WITH_DECISION)
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    closed = (
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
    counts.update(dict(closed))
    decided_total = sum(counts.get(s, 0) for s in DECIDED)
    return [
        OutcomeRow(
            status=status,
            label=S(status).label,
            count=counts.get(status, 0),
            share=percent(counts.get(status, 0), decided_total) if status in DECIDED else None,
        )
        for status in OUTCOME_ORDER
    ]


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
    lob_field = "coverage__plan__line_of_business"
    by_lob = duration_stats(qs, group_by=("priority", lob_field), in_database=in_database)
    by_priority = duration_stats(qs, group_by=("priority",), in_database=in_database)
    rows = []
    for priority in Priority:
        if (priority.value,) not in by_priority:
            continue
        for lob in LineOfBusiness:
            stats = by_lob.get((priority.value, lob.value))
            if stats:
                rows.append(TimeToDecisionRow(priority, priority.label, lob, lob.label, stats))
        rows.append(
            TimeToDecisionRow(
                priority, priority.label, "", "All lines", by_priority[(priority.value,)]
            )
        )
    return rows


# --- rates ----------------------------------------------------------------------------------


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


def rates(filters: ReportFilters) -> Rates:
    """Auto-approval rate: of cases decided in the period, those the rules engine approved (a
    determination from the rules, or the `auto_approve` transition). Pend rate: of cases
    received in the period, those that went through pending_info at least once."""
    auto = Exists(
        Determination.objects.filter(
            care_request=OuterRef("pk"), source=Determination.Source.RULES
        ).exclude(outcome=Determination.Outcome.NOT_REQUIRED)
    ) | Exists(StatusEvent.objects.filter(care_request=OuterRef("pk"), transition="auto_approve"))
    decided = decided_in_period(filters).aggregate(
        n=Count("pk"), auto=Count("pk", filter=Q(auto, status=S.APPROVED))
    )
    pended = Exists(
        StatusEvent.objects.filter(care_request=OuterRef("pk"), to_status=S.PENDING_INFO)
    )
    received = received_in_period(filters).aggregate(
        n=Count("pk"), pended=Count("pk", filter=Q(pended))
    )
    return Rates(
        decided=decided["n"],
        auto_approved=decided["auto"],
        received=received["n"],
        pended=received["pended"],
    )
