"""Human "time left" labels for clocks: "due in 5 h", "overdue 2 h"."""

from datetime import datetime, timedelta

from django.utils import timezone


def _span(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 1)} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h"
    return f"{hours // 24} d {hours % 24} h" if hours % 24 else f"{hours // 24} d"


def time_left_label(due_at: datetime | None, now: datetime | None = None) -> str:
    if due_at is None:
        return "no clock"
    now = now or timezone.now()
    if due_at >= now:
        return f"due in {_span(due_at - now)}"
    return f"overdue {_span(now - due_at)}"
