"""Writing the daily summaries: whole days at a time, from the cases.

`rollup_refresh` is the Celery beat sweep (every few minutes): it adds the days that ended since
it last ran and rewrites every earlier day on which a case was decided, changed status or had a
letter sent since then. The decision services write with queryset updates (no signals), so the
sweep finds changed cases from the status history and the letters' sent times, both indexed.
`rollup_rebuild` rewrites a whole range (the management command, after a bulk load).
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models.functions import TruncDate
from django.utils import timezone

from determinations.models import Letter
from intake.models import CareRequest, StatusEvent

from ..models import DecisionDay, RollupState
from .facts import case_categories, day_runs, decided_cases, runs_q, summarise

# A transaction open when the sweep reads can commit rows stamped a little before it; changes
# this recent are looked at again next time (and the reports compute them live meanwhile).
MARGIN = timedelta(minutes=10)
# Days rewritten per round of a long rebuild, to bound memory (~2,700 cases a day at 1M a year).
CHUNK_DAYS = 31


def state() -> RollupState:
    return RollupState.objects.order_by("pk").first() or RollupState.objects.create()


def touched_days(since: datetime):
    """Days of decision of the cases that changed status or had a letter delivered since
    `since` (one query, both halves on indexes: status events by time, letters by when their
    delivery was recorded). A case decided since then has a status event too; its day is today
    or yesterday's, which the sweep builds whole anyway."""
    # Joined from the few recent rows to their cases (primary key probes); an IN (subquery)
    # let the planner hash every decided case when it overestimated the recent rows.
    events = (
        StatusEvent.objects.filter(at__gte=since, care_request__decided_at__isnull=False)
        .annotate(day=TruncDate("care_request__decided_at"))
        .order_by()
        .values_list("day", flat=True)
    )
    # By when the delivery was recorded, not its date: a mail house's return file delivers
    # letters of days the sweep has already built.
    letters = (
        Letter.objects.filter(
            delivery_recorded_at__gte=since,
            determination__care_request__decided_at__isnull=False,
        )
        .annotate(day=TruncDate("determination__care_request__decided_at"))
        .order_by()
        .values_list("day", flat=True)
    )
    return events.union(letters)


def rollup_rebuild_days(days: Iterable[date]) -> int:
    """Rewrite the given days from the cases; returns the number of rows written."""
    written = 0
    for first, last in day_runs(days):
        start = first
        while start <= last:
            end = min(last, start + timedelta(days=CHUNK_DAYS - 1))
            written += _rewrite(start, end)
            start = end + timedelta(days=1)
    return written


@transaction.atomic
def _rewrite(first: date, last: date) -> int:
    cases = decided_cases([(first, last)])
    rows = summarise(cases, case_categories(cases.values("pk")))
    DecisionDay.objects.filter(day__gte=first, day__lte=last).delete()
    DecisionDay.objects.bulk_create(
        (
            DecisionDay(
                day=r.day,
                plan_id=r.plan_id,
                priority=r.priority,
                status=r.status,
                category_id=r.category_id,
                decided=r.decided,
                extended=r.extended,
                timed=r.timed,
                on_time=r.on_time,
                notified=r.notified,
                notified_on_time=r.notified_on_time,
                durations=r.durations,
            )
            for r in rows.values()
        ),
        batch_size=2000,
    )
    return len(rows)


def _first_decision_day() -> date | None:
    first = (
        CareRequest.objects.filter(decided_at__isnull=False)
        .order_by("decided_at")
        .values_list("decided_at", flat=True)
        .first()
    )
    return timezone.localdate(first) if first else None


def rollup_rebuild(*, now: datetime | None = None) -> int:
    """Rewrite every day from the first decision to yesterday and mark them built."""
    now = now or timezone.now()
    yesterday = timezone.localdate(now) - timedelta(days=1)
    first = _first_decision_day() or yesterday
    days = [first + timedelta(days=i) for i in range((yesterday - first).days + 1)]
    written = rollup_rebuild_days(days)
    with transaction.atomic():
        current = RollupState.objects.select_for_update().get(pk=state().pk)
        current.built_from, current.built_through, current.checked_at = first, yesterday, now
        current.save()
    return written


def rollup_refresh(*, now: datetime | None = None) -> int:
    """The periodic sweep: new finished days and changed earlier days. Returns rows written."""
    now = now or timezone.now()
    current = state()
    if current.built_through is None or current.checked_at is None:
        return rollup_rebuild(now=now)
    yesterday = timezone.localdate(now) - timedelta(days=1)
    new = {
        current.built_through + timedelta(days=i + 1)
        for i in range((yesterday - current.built_through).days)
    }
    changed = {
        d
        for d in touched_days(current.checked_at - MARGIN)
        if d <= min(yesterday, current.built_through)
    }
    written = rollup_rebuild_days(new | changed)
    RollupState.objects.filter(pk=current.pk).update(
        built_through=max(yesterday, current.built_through), checked_at=now
    )
    return written


__all__ = ["rollup_rebuild", "rollup_rebuild_days", "rollup_refresh", "runs_q", "touched_days"]
