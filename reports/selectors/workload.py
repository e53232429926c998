"""The open workload: cases at risk and overdue, reviewer workload and throughput, P2P calls."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from django.db.models import Count, DateField, Q
from django.db.models.functions import Trunc
from django.urls import reverse
from django.utils import timezone

from determinations.models import Determination
from intake.models import CareRequestStatus, Priority
from review.selectors.clock import at_risk_q
from scheduling.models import PeerToPeer
from um_portal.lib.timefmt import time_left_label

from ..filters import ReportFilters
from .scope import OPEN, cases, filters_q
from .volumes import percent

AT_RISK_LIST_SIZE = 25


def case_url(case_id: UUID) -> str:
    """The case page the reports' readers (UM managers) may open: intake's, which every staff
    role reads. (The review case view is for nurses and directors only.)"""
    return reverse("intake:case", args=[case_id])


def display_name(first: str, last: str, username: str, credentials: str = "") -> str:
    name = f"{first} {last}".strip() or username
    return f"{name}, {credentials}" if credentials else name


def _open_cases(filters: ReportFilters, now: datetime):
    return cases(filters).filter(status__in=OPEN, due_at__isnull=False, received_at__isnull=False)


@dataclass(frozen=True)
class OpenCasesRow:
    priority: str
    priority_label: str
    open: int
    overdue: int
    at_risk: int
    due_24h: int  # not overdue, due within 24 hours
    due_72h: int  # due in 24 to 72 hours
    due_later: int


def open_cases_by_time_left(filters: ReportFilters, *, now: datetime | None = None):
    """Open cases now (the period does not apply) by priority and time left."""
    now = now or timezone.now()
    rows = (
        _open_cases(filters, now)
        .values("priority")
        .annotate(
            n=Count("pk"),
            overdue=Count("pk", filter=Q(due_at__lt=now)),
            at_risk=Count("pk", filter=at_risk_q(now)),
            due_24h=Count("pk", filter=Q(due_at__gte=now, due_at__lt=now + timedelta(hours=24))),
            due_72h=Count(
                "pk",
                filter=Q(
                    due_at__gte=now + timedelta(hours=24), due_at__lt=now + timedelta(hours=72)
                ),
            ),
            due_later=Count("pk", filter=Q(due_at__gte=now + timedelta(hours=72))),
        )
    )
    by_priority = {row["priority"]: row for row in rows}
    result = []
    for priority in Priority:
        row = by_priority.get(priority.value)
        if row:
            result.append(
                OpenCasesRow(
                    priority,
                    priority.label,
                    row["n"],
                    row["overdue"],
                    row["at_risk"],
                    row["due_24h"],
                    row["due_72h"],
                    row["due_later"],
                )
            )
    return result


@dataclass(frozen=True)
class AtRiskCase:
    id: UUID
    reference: str
    priority: str
    status: str
    lob: str
    due_at: datetime
    overdue: bool
    time_left: str
    assignee: str
    url: str

    @property
    def status_label(self) -> str:
        return CareRequestStatus(self.status).label


def cases_at_risk(filters: ReportFilters, *, now: datetime | None = None, limit=AT_RISK_LIST_SIZE):
    """The most urgent open cases that are overdue or at risk, earliest due first."""
    now = now or timezone.now()
    qs = (
        _open_cases(filters, now)
        .filter(Q(due_at__lt=now) | at_risk_q(now))
        .order_by("due_at", "reference")
        .values(
            "id",
            "reference",
            "priority",
            "status",
            "coverage__plan__line_of_business",
            "due_at",
            "assigned_to__first_name",
            "assigned_to__last_name",
            "assigned_to__username",
            "assigned_to__credentials",
        )
    )
    if limit is not None:
        qs = qs[:limit]
    return [
        AtRiskCase(
            id=row["id"],
            reference=row["reference"],
            priority=row["priority"],
            status=row["status"],
            lob=row["coverage__plan__line_of_business"],
            due_at=row["due_at"],
            overdue=row["due_at"] < now,
            time_left=time_left_label(row["due_at"], now),
            assignee=display_name(
                row["assigned_to__first_name"] or "",
                row["assigned_to__last_name"] or "",
                row["assigned_to__username"] or "",
                row["assigned_to__credentials"] or "",
            )
            if row["assigned_to__username"]
            else "",
            url=case_url(row["id"]),
        )
        for row in qs
    ]


# --- reviewers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkloadRow:
    reviewer: str
    open: int
    expedited: int
    overdue: int


_USER_FIELDS = ("first_name", "last_name", "username", "credentials")


def reviewer_workload(filters: ReportFilters, *, now: datetime | None = None) -> list[WorkloadRow]:
    """Open cases assigned to each reviewer now, most loaded first."""
    now = now or timezone.now()
    rows = (
        cases(filters)
        .filter(status__in=OPEN, assigned_to__isnull=False)
        .values("assigned_to", *(f"assigned_to__{f}" for f in _USER_FIELDS))
        .annotate(
            n=Count("pk"),
            expedited=Count("pk", filter=Q(priority=Priority.EXPEDITED)),
            overdue=Count("pk", filter=Q(due_at__lt=now)),
        )
        .order_by("-n", "assigned_to__username")
    )
    return [
        WorkloadRow(
            reviewer=display_name(*(row[f"assigned_to__{f}"] or "" for f in _USER_FIELDS)),
            open=row["n"],
            expedited=row["expedited"],
            overdue=row["overdue"],
        )
        for row in rows
    ]


@dataclass(frozen=True)
class ThroughputRow:
    reviewer: str
    total: int
    per_week: dict[date, int]
    weekly_average: float


def week_starts(filters: ReportFilters) -> list[date]:
    monday = filters.start - timedelta(days=filters.start.weekday())
    weeks = []
    while monday <= filters.end:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def reviewer_throughput(filters: ReportFilters) -> list[ThroughputRow]:
    """Determinations each person issued per week of the period (automatic ones have no
    person and are left out), busiest first."""
    rows = (
        Determination.objects.filter(
            filters_q(filters, path="care_request__", outer="care_request_id"),
            decided_by__isnull=False,
            decided_at__gte=filters.start_at,
            decided_at__lt=filters.end_at,
        )
        .annotate(week=Trunc("decided_at", "week", output_field=DateField()))
        .order_by()
        .values("decided_by", "week", *(f"decided_by__{f}" for f in _USER_FIELDS))
        .annotate(n=Count("pk"))
    )
    people: dict[int, dict] = {}
    for row in rows:
        person = people.setdefault(
            row["decided_by"],
            {
                "name": display_name(*(row[f"decided_by__{f}"] or "" for f in _USER_FIELDS)),
                "weeks": {},
            },
        )
        person["weeks"][row["week"]] = row["n"]
    weeks = max(len(week_starts(filters)), 1)
    result = [
        ThroughputRow(
            reviewer=p["name"],
            total=sum(p["weeks"].values()),
            per_week=p["weeks"],
            weekly_average=round(sum(p["weeks"].values()) / weeks, 1),
        )
        for p in people.values()
    ]
    return sorted(result, key=lambda r: (-r.total, r.reviewer))


# --- peer to peer ---------------------------------------------------------------------------


@dataclass(frozen=True)
class P2POutcomes:
    """Peer-to-peer requests of the period by status, and what each completed call decided.

    "Changed" counts every call after which the decision changed: approved as requested
    (`changed`) and reopened for a new decision line by line (`reconsider`), over the completed
    calls, the only ones that decide anything (issue 14: the rate once ignored the reopenings).
    """

    by_status: dict[str, int]
    upheld: int
    approved: int  # changed: approved as requested on the call
    reopened: int  # changed: reopened for a new decision line by line

    @property
    def labelled(self) -> list[tuple[str, int]]:
        return [(PeerToPeer.Status(s).label, n) for s, n in self.by_status.items()]

    @property
    def requested(self) -> int:
        return sum(self.by_status.values())

    @property
    def completed(self) -> int:
        return self.by_status[PeerToPeer.Status.COMPLETED]

    @property
    def changed(self) -> int:
        return self.approved + self.reopened

    @property
    def changed_rate(self):
        return percent(self.changed, self.completed)


def p2p_outcomes(filters: ReportFilters) -> P2POutcomes:
    """Peer-to-peer requests made in the period, by status, and the outcome of completed ones."""
    qs = PeerToPeer.objects.filter(
        filters_q(filters, path="care_request__", outer="care_request_id"),
        requested_at__gte=filters.start_at,
        requested_at__lt=filters.end_at,
    ).order_by()

    def held(outcome: str) -> Count:
        return Count("pk", filter=Q(status=PeerToPeer.Status.COMPLETED, outcome=outcome))

    totals = qs.aggregate(
        **{s.value: Count("pk", filter=Q(status=s)) for s in PeerToPeer.Status},
        upheld=held(PeerToPeer.Outcome.UPHELD),
        approved=held(PeerToPeer.Outcome.CHANGED),
        reopened=held(PeerToPeer.Outcome.RECONSIDER),
    )
    return P2POutcomes(
        by_status={s.value: totals[s.value] for s in PeerToPeer.Status},
        upheld=totals["upheld"],
        approved=totals["approved"],
        reopened=totals["reopened"],
    )
