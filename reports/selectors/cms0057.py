"""The CMS-0057-F public prior-authorization report (45 CFR 422.122(c), 438.210(f),
457.732(f), 156.223(b)): for one calendar year and a plan or line of business.

Definitions (stated on the page and in the CSV too):
- A request counts in the year it was decided (decided_at), with its final status. Only requests
  that needed authorization and were decided count: approved, partially approved, denied.
  "No authorization required", withdrawn and voided requests are outside the percentages.
- Approved after an extension: approved with a documented extension (original_due_at set).
- Approved after appeal: cases with an approving appeal determination decided in the year,
  over the requests of that priority decided in the year.
- Time to determination: decided_at − received_at.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Max, Q
from django.utils import timezone

from determinations.models import Determination
from intake.models import CareRequest, LineOfBusiness, Plan, Priority, ServiceLine
from intake.models.care_request import CareRequestStatus as S

from ..filters import local_midnight
from .scope import DECIDED, case_q
from .stats import EMPTY, DurationStats, duration_stats
from .volumes import percent


@dataclass(frozen=True)
class AuthorizationItem:
    category: str
    code_system: str
    code: str
    description: str

    @property
    def system_label(self) -> str:
        return ServiceLine.System(self.code_system).label if self.code_system else ""


def authorization_required_items(plan: Plan | None, lob: str) -> list[AuthorizationItem]:
    """The items and services that require prior authorization for a plan / line of business.

    TODO(lead): point this at the needs-assessment rules (intake/models/rules.py, built in
    parallel) — the codes and code ranges whose rule says "authorization required" for this
    plan / line of business. Until then it lists the services that were actually decided under
    prior authorization (a line approved, modified or denied; never "not required") for the
    plan's covered categories. It is the only function the report uses for this list.
    """
    lines = ServiceLine.objects.filter(
        case_q(plan=plan, lob=lob, path="care_request__"),
        decision__in=(
            ServiceLine.Decision.APPROVED,
            ServiceLine.Decision.MODIFIED,
            ServiceLine.Decision.DENIED,
        ),
    )
    if plan is not None:
        lines = lines.filter(category__in=plan.covered_categories.all())
    rows = (
        lines.order_by("category__name", "code_system", "code")
        .values("category__name", "code_system", "code")
        # Lines may word the same code differently; one description per code is enough.
        .annotate(description=Max("description"))
    )
    return [
        AuthorizationItem(r["category__name"], r["code_system"], r["code"], r["description"])
        for r in rows
    ]


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


def cms0057_report(
    *, year: int, plan: Plan | None = None, lob: str = "", in_database: bool | None = None
) -> Cms0057Report:
    """The report's metrics: three aggregate queries and the items list."""
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
    appeals = dict(
        Determination.objects.filter(
            case_q(plan=plan, lob=lob, path="care_request__", outer="care_request_id"),
            kind=Determination.Kind.APPEAL,
            outcome=Determination.Outcome.APPROVED,
            decided_at__gte=start,
            decided_at__lt=end,
        )
        .order_by()
        .values_list("care_request__priority")
        .annotate(n=Count("care_request", distinct=True))
    )
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
