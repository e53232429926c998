"""Appeal metrics for the manager: volumes, overturn rates by the original denial reason and by
the physician who made the decision under appeal, appeal timeliness (NCQA UM 8–9: decided by the
due time) and IRE forwarding timeliness (MA cases reach the IRE by the reconsideration's due
time, 42 CFR 422.590). Appeals count in the period they were received (volumes) or decided."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, Subquery

from appeals.models import DECIDED_STATUSES, Appeal, AppealLine, AppealStatus
from determinations.models import DenialReason, LineDecision

from ..filters import ReportFilters
from .volumes import percent

A = AppealStatus
OVERTURNED = (A.DECIDED_OVERTURNED, A.DECIDED_PARTIALLY_OVERTURNED)
# Decided by the plan, whatever happened after (the IRE is the next level, not the plan's).
PLAN_DECIDED = (*DECIDED_STATUSES, A.FORWARDED_TO_IRE, A.IRE_UPHELD, A.IRE_OVERTURNED)


@dataclass(frozen=True)
class RateRow:
    label: str
    decided: int
    overturned: int

    @property
    def rate(self) -> Decimal | None:
        return percent(self.overturned, self.decided)


def _scope(f: ReportFilters):
    qs = Appeal.objects.order_by()
    if f.plan:
        qs = qs.filter(care_request__coverage__plan=f.plan)
    if f.lob:
        qs = qs.filter(line_of_business=f.lob)
    return qs


def _decided(f: ReportFilters):
    return _scope(f).filter(
        status__in=PLAN_DECIDED, decided_at__gte=f.start_at, decided_at__lt=f.end_at
    )


def appeal_volumes(f: ReportFilters) -> dict:
    """Appeals received in the period, by outcome group, priority and line of business."""
    received = _scope(f).filter(received_at__gte=f.start_at, received_at__lt=f.end_at)
    totals = received.aggregate(
        received=Count("pk"),
        open=Count("pk", filter=Q(status__in=[A.RECEIVED, A.IN_REVIEW])),
        upheld=Count("pk", filter=Q(status=A.DECIDED_UPHELD)),
        partially_overturned=Count("pk", filter=Q(status=A.DECIDED_PARTIALLY_OVERTURNED)),
        overturned=Count("pk", filter=Q(status=A.DECIDED_OVERTURNED)),
        at_ire=Count(
            "pk", filter=Q(status__in=[A.FORWARDED_TO_IRE, A.IRE_UPHELD, A.IRE_OVERTURNED])
        ),
        dismissed=Count("pk", filter=Q(status=A.DISMISSED)),
        withdrawn=Count("pk", filter=Q(status=A.WITHDRAWN)),
        expedited=Count("pk", filter=Q(priority="expedited")),
    )
    by_lob = list(
        received.values("line_of_business").annotate(n=Count("pk")).order_by("line_of_business")
    )
    return {**totals, "by_lob": by_lob}


def overturn_by_reason(f: ReportFilters) -> list[RateRow]:
    """Appealed lines decided in the period, by the reason the line was first denied."""
    original_reason = LineDecision.objects.filter(
        determination=OuterRef("appeal__reviewed_determination"),
        service_line=OuterRef("service_line"),
    ).values("reason_code")[:1]
    rows = (
        AppealLine.objects.filter(appeal__in=_decided(f))
        .annotate(reason=Subquery(original_reason))
        .values("reason")
        .annotate(
            decided=Count("pk"),
            overturned=Count(
                "pk",
                filter=Q(outcome__in=[AppealLine.Outcome.OVERTURNED, AppealLine.Outcome.MODIFIED]),
            ),
        )
        .order_by("reason")
    )
    labels = dict(DenialReason.objects.values_list("code", "label"))
    return [
        RateRow(
            labels.get(r["reason"], r["reason"] or "No reason recorded"),
            r["decided"],
            r["overturned"],
        )
        for r in rows
    ]


def overturn_by_reviewer(f: ReportFilters) -> list[RateRow]:
    """Appeals decided in the period, by the physician whose decision was appealed."""
    rows = (
        _decided(f)
        .values(name=F("reviewed_determination__reviewer_name"))
        .annotate(
            decided=Count("pk"),
            overturned=Count(
                "pk",
                filter=Q(decision__outcome__in=["approved", "partially_approved"]),
            ),
        )
        .order_by("name")
    )
    return [
        RateRow(r["name"] or "Automatic or unnamed", r["decided"], r["overturned"]) for r in rows
    ]


def appeal_timeliness(f: ReportFilters) -> dict:
    """Appeals decided in the period and how many by their due time; IRE forwarding likewise."""
    decided = _decided(f).aggregate(
        decided=Count("pk"),
        on_time=Count("pk", filter=Q(decided_at__lte=F("due_at"))),
        expedited=Count("pk", filter=Q(priority="expedited")),
        expedited_on_time=Count("pk", filter=Q(priority="expedited", decided_at__lte=F("due_at"))),
    )
    forwarded = (
        _scope(f)
        .filter(ire_forwarded_at__gte=f.start_at, ire_forwarded_at__lt=f.end_at)
        .aggregate(
            forwarded=Count("pk"),
            forwarded_on_time=Count("pk", filter=Q(ire_forwarded_at__lte=F("due_at"))),
        )
    )
    result = {**decided, **forwarded}
    result["on_time_pct"] = percent(result["on_time"], result["decided"])
    result["expedited_on_time_pct"] = percent(result["expedited_on_time"], result["expedited"])
    result["forwarded_on_time_pct"] = percent(result["forwarded_on_time"], result["forwarded"])
    return result
