"""Turnaround-clock predicates as SQL expressions and as Python, so lists, tiles and the case view
agree on "at risk" and "overdue" (DESIGN §5)."""

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

from um_portal.lib.clock import clock_state
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
