"""Reading the daily summaries for a report period, exact to the minute.

A day comes from the table when the last sweep built it and nothing about its cases changed
since; every other day of the period (today, days not built yet, days whose cases were decided,
moved or notified since the sweep) is computed live from the cases by the same code that
builds the table. So a report is as exact as the live computation and reads a few thousand
summary rows plus at most a few days of cases.
"""

from datetime import date, datetime, timedelta

from django.utils import timezone

from ..models import DecisionDay, RollupState
from .build import MARGIN, touched_days
from .facts import DayRow, day_runs, live_rows

FIELDS = (
    "day",
    "plan_id",
    "priority",
    "status",
    "category_id",
    "plan__line_of_business",
    "decided",
    "extended",
    "timed",
    "on_time",
    "notified",
    "notified_on_time",
)


def _live_days(start: date, end: date, now: datetime) -> set[date]:
    """The days of [start, end] the table cannot answer (two queries). Days after today have
    no decisions yet and are left out, so a report of this year computes only today live."""
    end = min(end, timezone.localdate(now))
    period = {start + timedelta(days=i) for i in range((end - start).days + 1)}
    current = RollupState.objects.order_by("pk").first()
    if current is None or current.built_through is None or current.checked_at is None:
        return period
    since = current.checked_at - MARGIN
    fresh_from = min(timezone.localdate(since), current.built_through + timedelta(days=1))
    # Days before the first build had no decisions then; one backdated since is a touched day.
    live = {d for d in period if d >= fresh_from}
    if any(d not in live for d in period):
        live |= {d for d in touched_days(since) if d in period}
    return live


def decision_rows(
    *,
    start: date,
    end: date,
    plan=None,
    lob: str = "",
    category=None,
    durations: bool = False,
    now: datetime | None = None,
) -> list[DayRow]:
    """DayRows of decisions made on local days start..end (inclusive) in the scope: the rows of
    every category (category None) or of one category. `durations` adds the decision times."""
    now = now or timezone.now()
    live = _live_days(start, end, now)
    days_so_far = (min(end, timezone.localdate(now)) - start).days + 1
    stored = DecisionDay.objects.filter(day__gte=start, day__lte=end).order_by()
    stored = stored.filter(category=category) if category else stored.filter(category__isnull=True)
    if plan is not None:
        stored = stored.filter(plan=plan)
    if lob:
        stored = stored.filter(plan__line_of_business=lob)
    rows = []
    if len(live) < days_so_far:
        columns = (*FIELDS, "durations") if durations else FIELDS
        for values in stored.values_list(*columns):
            if values[0] in live:
                continue
            row = DayRow(*values[:5], *values[5:12])
            if durations:
                row.durations = values[12]
            rows.append(row)
    rows.extend(live_rows(day_runs(live), plan=plan, lob=lob, category=category))
    return rows
