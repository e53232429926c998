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
from um_portal.accounts.roles import STAFF_ROLES
from um_portal.lib.clock import clock_state
from um_portal.lib.errors import NotFound
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
    case = CareRequest.objects.exclude(status=CareRequestStatus.DRAFT).filter(pk=case_id).first()
    if case is None:
        raise NotFound("No such case.")
    return case
