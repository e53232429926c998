"""The CMS-0057-F public prior-authorization report (45 CFR 422.122(c), 438.210(f),
457.732(f), 156.223(b)): for one calendar year and a plan or line of business.

Definitions (stated on the page and in the CSV too):
- A request counts in the year it was decided (decided_at), with its final status. Only requests
  that needed authorization and were decided count: approved, partially approved, denied.
  "No authorization required", withdrawn and voided requests are outside the percentages.
- Approved after an extension: approved with a documented extension (original_due_at set).
- Approved after appeal: cases with an appeal determination decided in the year that approves
  some service (overturned or partly overturned by the plan's physician, or reversed by the
  independent review entity; written by the appeals app), over the requests of that priority
  decided in the year.
- Time to determination: decided_at − received_at.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Max, Q
from django.utils import timezone

from determinations.models import Determination
from intake.models import CareRequest, LineOfBusiness, Plan, Priority
from intake.models.care_request import CareRequestStatus as S

from ..filters import local_midnight
from ..rollup.read import decision_rows
from .auth_items import AuthorizationItem, authorization_required_items
from .scope import DECIDED, case_q
from .stats import EMPTY, DurationStats, duration_stats, micros_stats
from .volumes import percent


@dataclass(frozen=True)
class PriorityMetrics:
    priority: str
    decided: int
    approved: int
    partially_approved: int
    denied: int
    approved_after_extension: int
    approved_after_appeal: int
    time: DurationStats

    @property
    def label(self) -> str:
        return Priority(self.priority).label

    @property
    def approved_pct(self) -> Decimal | None:
        return percent(self.approved, self.decided)

    @property
    def partially_approved_pct(self) -> Decimal | None:
        return percent(self.partially_approved, self.decided)

    @property
    def denied_pct(self) -> Decimal | None:
        return percent(self.denied, self.decided)

    @property
    def approved_after_extension_pct(self) -> Decimal | None:
        return percent(self.approved_after_extension, self.decided)

    @property
    def approved_after_appeal_pct(self) -> Decimal | None:
        return percent(self.approved_after_appeal, self.decided)


@dataclass(frozen=True)
class Cms0057Report:
    year: int
    plan: Plan | None
    lob: str
    items: list[AuthorizationItem]
    standard: PriorityMetrics
    expedited: PriorityMetrics
    generated_at: datetime

    @property
    def scope_label(self) -> str:
        parts = [self.plan.name if self.plan else "All plans"]
        parts.append(LineOfBusiness(self.lob).label if self.lob else "all lines of business")
        return ", ".join(parts)


def year_bounds(year: int) -> tuple[datetime, datetime]:
    return local_midnight(date(year, 1, 1)), local_midnight(date(year + 1, 1, 1))


def cms0057_default_year(*, today: date) -> int:
    """The year the report opens on: the previous calendar year, which payers publish by March
    31, when it has decisions; otherwise the newest year that has any (a plan in its first year,
    or the demo), so that nobody lands on an empty report."""
    last = today.year - 1
    start, end = year_bounds(last)
    decided = CareRequest.objects.filter(status__in=DECIDED, decided_at__isnull=False).order_by()
    if decided.filter(decided_at__gte=start, decided_at__lt=end).exists():
        return last
    newest = decided.aggregate(newest=Max("decided_at"))["newest"]
    return timezone.localtime(newest).year if newest else last


def _approved_after_appeal(*, start, end, plan, lob) -> dict[str, int]:
    """Cases with an approving appeal decision in the year, per priority (one query; appeals
    are a few percent of denials, so this stays small without a summary)."""
    return dict(
        Determination.objects.filter(
            case_q(plan=plan, lob=lob, path="care_request__", outer="care_request_id"),
            kind=Determination.Kind.APPEAL,
            outcome__in=[
                Determination.Outcome.APPROVED,
                Determination.Outcome.PARTIALLY_APPROVED,
            ],
            decided_at__gte=start,
            decided_at__lt=end,
        )
        .order_by()
        .values_list("care_request__priority")
        .annotate(n=Count("care_request", distinct=True))
    )


def cms0057_report(
    *,
    year: int,
    plan: Plan | None = None,
    lob: str = "",
    in_database: bool | None = None,
    live: bool = False,
) -> Cms0057Report:
    """The report's metrics, from the daily summaries (reports.rollup) unless `live`, which
    computes them from the cases (three aggregate queries); both give the same figures."""
    if not live:
        return _cms0057_from_summaries(year=year, plan=plan, lob=lob)
    start, end = year_bounds(year)
    decided = CareRequest.objects.filter(
        case_q(plan=plan, lob=lob),
        status__in=DECIDED,
        decided_at__gte=start,
        decided_at__lt=end,
    ).order_by()
    counts = {
        row["priority"]: row
        for row in decided.values("priority").annotate(
            n=Count("pk"),
            approved=Count("pk", filter=Q(status=S.APPROVED)),
            partial=Count("pk", filter=Q(status=S.PARTIALLY_APPROVED)),
            denied=Count("pk", filter=Q(status=S.DENIED)),
            extended=Count("pk", filter=Q(status=S.APPROVED, original_due_at__isnull=False)),
        )
    }
    appeals = _approved_after_appeal(start=start, end=end, plan=plan, lob=lob)
    times = duration_stats(decided, group_by=("priority",), in_database=in_database)

    def metrics(priority: str) -> PriorityMetrics:
        row = counts.get(priority, {})
        return PriorityMetrics(
            priority=priority,
            decided=row.get("n", 0),
            approved=row.get("approved", 0),
            partially_approved=row.get("partial", 0),
            denied=row.get("denied", 0),
            approved_after_extension=row.get("extended", 0),
            approved_after_appeal=appeals.get(priority, 0),
            time=times.get((priority,), EMPTY),
        )

    return Cms0057Report(
        year=year,
        plan=plan,
        lob=lob,
        items=authorization_required_items(plan, lob),
        standard=metrics(Priority.STANDARD),
        expedited=metrics(Priority.EXPEDITED),
        generated_at=timezone.now(),
    )


def _cms0057_from_summaries(*, year: int, plan: Plan | None, lob: str) -> Cms0057Report:
    """Counts summed from the year's summary rows; the decision-time percentiles from the
    decision times those rows keep (percentiles cannot be added up from daily figures)."""
    start, end = year_bounds(year)
    rows = decision_rows(
        start=date(year, 1, 1), end=date(year, 12, 31), plan=plan, lob=lob, durations=True
    )
    counts: dict[str, dict[str, int]] = {}
    spans: dict[str, list[int]] = {}
    for r in rows:
        c = counts.setdefault(r.priority, dict.fromkeys(COUNTS, 0))
        c["n"] += r.decided
        if r.status in STATUS_COUNT:
            c[STATUS_COUNT[r.status]] += r.decided
        if r.status == S.APPROVED:
            c["extended"] += r.extended
        spans.setdefault(r.priority, []).extend(r.durations)
    appeals = _approved_after_appeal(start=start, end=end, plan=plan, lob=lob)

    def metrics(priority: str) -> PriorityMetrics:
        row = counts.get(priority, dict.fromkeys(COUNTS, 0))
        return PriorityMetrics(
            priority=priority,
            decided=row["n"],
            approved=row["approved"],
            partially_approved=row["partial"],
            denied=row["denied"],
            approved_after_extension=row["extended"],
            approved_after_appeal=appeals.get(priority, 0),
            time=micros_stats(spans.get(priority, [])),
        )

    return Cms0057Report(
        year=year,
        plan=plan,
        lob=lob,
        items=authorization_required_items(plan, lob),
        standard=metrics(Priority.STANDARD),
        expedited=metrics(Priority.EXPEDITED),
        generated_at=timezone.now(),
    )


COUNTS = ("n", "approved", "partial", "denied", "extended")
STATUS_COUNT = {S.APPROVED: "approved", S.PARTIALLY_APPROVED: "partial", S.DENIED: "denied"}
