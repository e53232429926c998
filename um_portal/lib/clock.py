"""Turnaround clock state for dashboards: ok, at risk (little time left) or overdue."""

from datetime import datetime

from django.conf import settings
from django.utils import timezone

from .timefmt import time_left_label


def clock_state(
    received_at: datetime | None, due_at: datetime | None, now: datetime | None = None
) -> str:
    """ "overdue" past due; "at-risk" when less than AT_RISK_FRACTION of the span is left;
    otherwise "ok". The values double as CSS classes (`clock ok`, `clock at-risk`, ...)."""
    if due_at is None:
        return "ok"
    now = now or timezone.now()
    if due_at < now:
        return "overdue"
    if received_at is not None and due_at > received_at:
        left = (due_at - now) / (due_at - received_at)
        if left < settings.AT_RISK_FRACTION:
            return "at-risk"
    return "ok"


def clock_display(
    received_at: datetime | None, due_at: datetime | None, now: datetime | None = None
) -> dict[str, str]:
    """What a dashboard shows for a case's clock: the label and its CSS class."""
    now = now or timezone.now()
    return {
        "label": time_left_label(due_at, now),
        "state": clock_state(received_at, due_at, now),
    }
