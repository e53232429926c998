"""Turnaround-clock predicates as SQL expressions and as Python, so lists, tiles and the case view
agree on "at risk" and "overdue" (DESIGN §5)."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import (
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    Value,
)
from django.db.models.lookups import GreaterThanOrEqual, LessThan
from django.utils import timezone

from intake.models import CareRequest
from intake.models.care_request import CareRequestStatus
from intake.services.receipt import turnaround_standard_for
from um_portal.accounts.roles import STAFF_ROLES
from um_portal.lib.clock import clock_state
from um_portal.lib.errors import NotFound, ValidationFailed
from um_portal.lib.timefmt import time_left_label


def at_risk_q(now: datetime):
    """Open case not yet overdue with less than AT_RISK_FRACTION of its turnaround time left.

    Compared as two durations (time left < fraction × whole span) because timestamp arithmetic
    back to a datetime is not portable to SQLite, while duration comparisons are.
    """
    time_left = ExpressionWrapper(
        F("due_at") - Value(now, output_field=DateTimeField()), output_field=DurationField()
    )
    threshold = ExpressionWrapper(
        (F("due_at") - F("received_at"))
        * Value(settings.AT_RISK_FRACTION, output_field=FloatField()),
        output_field=DurationField(),
    )
    return Q(LessThan(time_left, threshold)) & Q(GreaterThanOrEqual(F("due_at"), now))


def overdue_q(now: datetime) -> Q:
    return Q(due_at__lt=now)


@dataclass(frozen=True)
class Clock:
    label: str
    state: str  # "overdue", "at-risk", "ok", "stopped"

    @property
    def state_label(self) -> str:
        return {"overdue": "Overdue", "at-risk": "At risk", "ok": "On time"}.get(self.state, "")


def clock_for(case, *, now: datetime | None = None) -> Clock:
    """The clock of one case as the reviewer sees it; decided cases show no running clock."""
    from intake.models.care_request import CLOCK_STATUSES

    now = now or timezone.now()
    if case.status not in CLOCK_STATUSES or case.due_at is None:
        return Clock(label="clock stopped", state="stopped")
    return Clock(
        label=time_left_label(case.due_at, now),
        state=clock_state(case.received_at, case.due_at, now),
    )


@dataclass(frozen=True)
class ClockExtension:
    days: int
    reason: str
    original_due_at: datetime


def clock_extension_for(case) -> ClockExtension | None:
    """The case's documented extension, if it has one (read from the case row, no query)."""
    if case.original_due_at is None or case.due_at is None:
        return None
    return ClockExtension(
        days=(case.due_at - case.original_due_at).days,
        reason=case.extension_reason,
        original_due_at=case.original_due_at,
    )


def care_request_get_for_clock(*, user, case_id: uuid.UUID) -> CareRequest:
    """A received case a staff user may extend the clock of (intake, nurses, directors and
    managers all see received cases); NotFound for anyone else or a provider's draft."""
    if not (user and user.is_authenticated and user.role_names & STAFF_ROLES):
        raise NotFound("No such case.")
    case = (
        CareRequest.objects.select_related("coverage__plan")
        .exclude(status=CareRequestStatus.DRAFT)
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFound("No such case.")
    return case


@dataclass(frozen=True)
class ExtensionRule:
    """What the documented extension may be for one kind of review (the clock's source row
    gives the days; the regulation behind each kind gives when and why)."""

    max_days: int
    reasons: tuple[str, ...]  # review.forms.ExtensionReason codes the form offers
    when: str  # shown next to the form
    source: str


# 42 CFR 422.568(b)(1)(i) / 422.572(b)(1), 438.210(d)(1)(ii): a pre-service decision may be
# extended by up to 14 days, once, when the member asks or waiting for information helps them.
PROSPECTIVE_MAX_DAYS = 14
PROSPECTIVE_REASONS = ("member_request", "provider_request", "more_information", "exceptional")
# 29 CFR 2560.503-1(f)(2)(iii)(B): a post-service claim may be extended once, by up to 15 days,
# for matters beyond the plan's control (or information the claimant must send), with notice
# before the initial period ends.
RETROSPECTIVE_REASONS = ("beyond_control", "more_information")
RETROSPECTIVE_SOURCE = "29 CFR 2560.503-1(f)(2)(iii)(B)"
# 29 CFR 2560.503-1(f)(2)(ii) and the expedited 72-hour standards give urgent concurrent review
# no extension: the member is in the bed while the plan waits.
CONCURRENT_REFUSAL = (
    "A concurrent review is urgent: its clock has no extension (29 CFR 2560.503-1(f)(2)(ii), "
    "expedited 72-hour standards). Decide on the information at hand, or refer to a physician."
)


def clock_extension_rule(case) -> ExtensionRule | None:
    """The extension the case's kind of review and line of business allow (None: none at all).
    Prospective: up to 14 days while pending information. Retrospective: the post-service row's
    `extension_days` (commercial and QHP 15; Medicare Advantage payment and Medicaid none),
    before the initial period ends. Concurrent: none. One query for a retrospective case."""
    request_type = case.request_type
    if request_type == CareRequest.RequestType.CONCURRENT:
        return None
    if request_type == CareRequest.RequestType.PROSPECTIVE:
        return ExtensionRule(
            max_days=PROSPECTIVE_MAX_DAYS,
            reasons=PROSPECTIVE_REASONS,
            when="Once per case, up to 14 days, while the case waits for information — only "
            "when the member asks, or when waiting is in the member's interest.",
            source="42 CFR 422.568(b)(1)(i), 422.572(b)(1), 438.210(d)",
        )
    try:
        standard = turnaround_standard_for(
            line_of_business=case.coverage.plan.line_of_business,
            priority=case.priority,
            request_type=request_type,
        )
    except ValidationFailed:
        return None
    if standard.extension_days < 1:
        return None
    return ExtensionRule(
        max_days=standard.extension_days,
        reasons=RETROSPECTIVE_REASONS,
        when=f"Once per case, up to {standard.extension_days} days, before the post-service "
        "period ends — for matters beyond the plan's control, or records the provider must "
        "send. The provider is told the new date.",
        source=standard.source or RETROSPECTIVE_SOURCE,
    )
