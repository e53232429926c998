"""Reads for the "My Care Requests" dashboard: a fixed number of queries whatever the page size
or the size of the database (counts come from subqueries and conditional aggregates, never from
per-row queries)."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from intake.models import CareRequest, ChecklistItem, Queue, ServiceLine
from intake.models.care_request import CLOCK_STATUSES
from intake.models.care_request import CareRequestStatus as S
from um_portal.accounts.roles import Role

from .clock import at_risk_q, overdue_q

SCOPES = {
    "waiting": "Waiting for me (my queues and mine)",
    "mine": "Assigned to me",
    "queues": "My queues",
    "all": "All reviewers",
}
DUE_WINDOWS = {
    "overdue": "Overdue",
    "at_risk": "At risk",
    "today": "Due today",
    "24h": "Due within 24 hours",
    "72h": "Due within 72 hours",
}
SORTS = {
    "due": ("due_at", "received_at"),
    "-due": ("-due_at", "-received_at"),
    "received": ("received_at",),
    "-received": ("-received_at",),
    "priority": ("priority", "due_at"),  # "expedited" sorts before "standard"
    "member": ("member__last_name", "member__first_name", "due_at"),
    # A director's default: cases referred to medical director review first, then by due time.
    "referred": (
        Case(When(status=S.MD_REVIEW, then=Value(0)), default=Value(1)),
        "due_at",
        "received_at",
    ),
}
PAGE_SIZES = (25, 50, 100)
# Time-left buckets of the chart, in order.
TIME_LEFT_BUCKETS = [
    ("overdue", "Overdue"),
    ("lt24", "Under 24 h"),
    ("lt72", "1 to 3 days"),
    ("later", "More than 3 days"),
]
DECIDED_LINE_VALUES = [d for d in ServiceLine.Decision.values if d != ServiceLine.Decision.PENDING]


@dataclass(frozen=True)
class DashboardFilters:
    status: str = ""  # a CLOCK_STATUSES value, or "open" for every open stage
    priority: str = ""
    queue: int | None = None
    request_type: str = ""
    due: str = ""
    scope: str = "mine"
    sort: str = "due"
    page: int = 1
    per_page: int = 25
    # Filters whose default depends on the role: the page's links always carry them.
    pinned: tuple[str, ...] = ("status",)

    def query_items(self, **changes) -> list[tuple[str, str]]:
        """The filters that differ from the defaults, as URL parameters for bookmarkable links.
        The status is always kept: its default depends on the user's role."""
        values = {**self.__dict__, **changes}
        values.pop("pinned")
        defaults = DashboardFilters()
        return [
            (k, str(v))
            for k, v in values.items()
            if v not in ("", None) and (k in self.pinned or v != getattr(defaults, k))
        ]


def default_filters_for(user) -> "DashboardFilters":
    """A director opens on the cases waiting in their queues, referred cases first: a case a
    nurse refers is assigned to nobody, so "assigned to me" would hide it. A nurse opens on her
    own cases in nurse review."""
    if user.has_role(Role.DIRECTOR) and not user.has_role(Role.NURSE):
        return DashboardFilters(
            status=S.MD_REVIEW, scope="waiting", sort="referred", pinned=("status", "scope", "sort")
        )
    return DashboardFilters(status=S.NURSE_REVIEW)


def _end_of_today(user, now: datetime) -> datetime:
    try:
        zone = ZoneInfo(user.time_zone)
    except (KeyError, ValueError):  # an unknown zone name: fall back to the site's
        zone = timezone.get_current_timezone()
    local = now.astimezone(zone)
    return (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)


def _count_of(model, **filters) -> Coalesce:
    counted = (
        model.objects.filter(care_request=OuterRef("pk"), **filters)
        .order_by()
        .values("care_request")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _filtered(*, user, filters: DashboardFilters, now: datetime) -> QuerySet[CareRequest]:
    qs = CareRequest.objects.filter(status__in=CLOCK_STATUSES)
    if filters.status and filters.status != "open":
        qs = qs.filter(status=filters.status)
    if filters.scope == "waiting":
        my_queues = Queue.objects.filter(reviewers__user=user)
        # Without any queue of their own, a reviewer waits on every queue.
        qs = qs.filter(
            Q(assigned_to=user) | Q(queue__in=my_queues.values("pk")) | ~Exists(my_queues)
        )
    elif filters.scope == "mine":
        qs = qs.filter(assigned_to=user)
    elif filters.scope == "queues":
        qs = qs.filter(queue__in=Queue.objects.filter(reviewers__user=user).values("pk"))
    if filters.priority:
        qs = qs.filter(priority=filters.priority)
    if filters.queue:
        qs = qs.filter(queue_id=filters.queue)
    if filters.request_type:
        qs = qs.filter(request_type=filters.request_type)
    if filters.due == "overdue":
        qs = qs.filter(overdue_q(now))
    elif filters.due == "at_risk":
        qs = qs.filter(at_risk_q(now))
    elif filters.due == "today":
        qs = qs.filter(due_at__gte=now, due_at__lt=_end_of_today(user, now))
    elif filters.due in ("24h", "72h"):
        hours = 24 if filters.due == "24h" else 72
        qs = qs.filter(due_at__gte=now, due_at__lt=now + timedelta(hours=hours))
    return qs


def _decorated(qs: QuerySet[CareRequest]) -> QuerySet[CareRequest]:
    """What a row shows: parties by join, per-row counts by subquery, codes by one prefetch."""
    # The category by join, not a query: the short name falls back to it for an undescribed line.
    lines = (
        ServiceLine.objects.select_related("category")
        .only(
            "id",
            "care_request_id",
            "sequence",
            "code",
            "code_system",
            "description",
            "category__name",
        )
        .order_by("sequence")
    )
    return (
        qs.select_related("member", "queue", "assigned_to")
        .only(
            "id",
            "reference",
            "status",
            "priority",
            "request_type",
            "received_at",
            "due_at",
            "member__first_name",
            "member__last_name",
            "queue__name",
            "assigned_to__username",
            "assigned_to__first_name",
            "assigned_to__last_name",
            "assigned_to__credentials",
        )
        .annotate(
            lines_total=_count_of(ServiceLine),
            lines_decided=_count_of(ServiceLine, decision__in=DECIDED_LINE_VALUES),
            missing_documents=_count_of(ChecklistItem, required=True, document__isnull=True),
        )
        .prefetch_related(Prefetch("service_lines", queryset=lines))
    )


def _ordering(filters: DashboardFilters) -> tuple[str, ...]:
    return (*SORTS.get(filters.sort, SORTS["due"]), "pk")


def care_request_page_for_reviewer(
    *, user, filters: DashboardFilters, now: datetime | None = None
) -> Page:
    """One page of the list in three queries: the count, the page (its ids chosen by a sorted,
    limited subquery on the case table alone, so the joins and per-row counts run for the page's
    rows only, not for every matching case) and the service-lines prefetch."""
    now = now or timezone.now()
    ordering = _ordering(filters)
    matching = _filtered(user=user, filters=filters, now=now).order_by(*ordering)
    page = Paginator(matching, filters.per_page).get_page(filters.page)
    page_ids = page.object_list.values("pk")
    page.object_list = list(
        _decorated(CareRequest.objects.filter(pk__in=page_ids)).order_by(*ordering)
    )
    return page


@dataclass
class Workload:
    """The tiles and chart numbers: the user's own open cases, in one aggregate query."""

    open: int = 0
    due_today: int = 0
    at_risk: int = 0
    overdue: int = 0
    pending_info: int = 0
    by_status: list[tuple[str, str, int]] = field(default_factory=list)
    by_time_left: list[tuple[str, str, int]] = field(default_factory=list)


def workload_for_user(*, user, now: datetime | None = None) -> Workload:
    now = now or timezone.now()
    end_of_today = _end_of_today(user, now)
    counts = {
        "open": Count("pk"),
        "due_today": Count("pk", filter=Q(due_at__gte=now, due_at__lt=end_of_today)),
        "at_risk": Count("pk", filter=at_risk_q(now)),
        "overdue": Count("pk", filter=overdue_q(now)),
        "tl_overdue": Count("pk", filter=overdue_q(now)),
        "tl_lt24": Count("pk", filter=Q(due_at__gte=now, due_at__lt=now + timedelta(hours=24))),
        "tl_lt72": Count(
            "pk",
            filter=Q(due_at__gte=now + timedelta(hours=24), due_at__lt=now + timedelta(hours=72)),
        ),
        "tl_later": Count("pk", filter=Q(due_at__gte=now + timedelta(hours=72))),
    }
    for status in CLOCK_STATUSES:
        counts[f"st_{status}"] = Count("pk", filter=Q(status=status))
    row = CareRequest.objects.filter(assigned_to=user, status__in=CLOCK_STATUSES).aggregate(
        **counts
    )
    return Workload(
        open=row["open"],
        due_today=row["due_today"],
        at_risk=row["at_risk"],
        overdue=row["overdue"],
        pending_info=row[f"st_{S.PENDING_INFO}"],
        by_status=[(str(s), S(s).label, row[f"st_{s}"]) for s in CLOCK_STATUSES],
        by_time_left=[(key, label, row[f"tl_{key}"]) for key, label in TIME_LEFT_BUCKETS],
    )


def queue_choices() -> list[tuple[int, str]]:
    return list(Queue.objects.filter(is_active=True).values_list("pk", "name"))
