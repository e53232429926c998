"""Days arithmetic of a stay, free of Django: what was requested, approved, denied and used, per
day and per level of care. Inpatient days count the day of admission and not the day of
discharge (a same-day stay counts one day); a member still in house uses today."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass(frozen=True)
class ReviewDays:
    """One concurrent review's request and, once decided, what was approved."""

    level_of_care: str
    requested_start: date
    requested_end: date
    decided: bool = False
    approved_start: date | None = None
    approved_end: date | None = None

    @property
    def days_requested(self) -> int:
        return (self.requested_end - self.requested_start).days + 1

    @property
    def days_approved(self) -> int:
        if not self.decided or self.approved_start is None or self.approved_end is None:
            return 0
        return (self.approved_end - self.approved_start).days + 1

    @property
    def days_denied(self) -> int:
        return self.days_requested - self.days_approved if self.decided else 0

    def requested_dates(self) -> set[date]:
        return set(_dates(self.requested_start, self.requested_end))

    def approved_dates(self) -> set[date]:
        if not self.days_approved:
            return set()
        return set(_dates(self.approved_start, self.approved_end))


@dataclass(frozen=True)
class Segment:
    level_of_care: str
    starts_on: date


@dataclass(frozen=True)
class Day:
    on: date
    level_of_care: str
    requested: bool
    approved: bool
    denied: bool
    pending: bool
    used: bool
    approved_level: str = ""  # the level of care the approving review approved the day at


@dataclass(frozen=True)
class DaysSummary:
    requested: int
    approved: int
    denied: int
    pending: int
    used: int
    remaining: int  # approved days not yet used
    unapproved_used: int  # days used without approval (denied or not yet decided)
    avoidable: int  # days used that were denied
    last_covered_day: date | None
    by_level: dict[str, dict[str, int]] = field(default_factory=dict)


def _dates(start: date, end: date):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def used_dates(*, admitted_on: date, discharged_on: date | None, today: date) -> list[date]:
    """The days the stay has used so far."""
    if discharged_on is not None:
        last = max(discharged_on - timedelta(days=1), admitted_on)
    else:
        last = today
    return list(_dates(admitted_on, last)) if last >= admitted_on else []


def level_on(segments: list[Segment], day: date) -> str:
    """The level of care on a day: the latest segment that started on or before it."""
    ordered = sorted(segments, key=lambda s: s.starts_on)
    level = ordered[0].level_of_care if ordered else ""
    for segment in ordered:
        if segment.starts_on <= day:
            level = segment.level_of_care
    return level


def last_covered_day(reviews: list[ReviewDays]) -> date | None:
    ends = [r.approved_end for r in reviews if r.days_approved]
    return max(ends) if ends else None


def day_by_day(
    *,
    admitted_on: date,
    discharged_on: date | None,
    today: date,
    segments: list[Segment],
    reviews: list[ReviewDays],
) -> list[Day]:
    """One row per day from admission to the last day used or requested."""
    used = set(used_dates(admitted_on=admitted_on, discharged_on=discharged_on, today=today))
    requested, approved, decided = set(), {}, set()
    for review in reviews:
        requested |= review.requested_dates()
        for day in review.approved_dates():
            approved[day] = review.level_of_care
        if review.decided:
            decided |= review.requested_dates()
    last = max([admitted_on, *used, *requested])
    return [
        Day(
            on=day,
            level_of_care=level_on(segments, day),
            requested=day in requested,
            approved=day in approved,
            denied=day in decided and day not in approved,
            pending=day in requested and day not in decided and day not in approved,
            used=day in used,
            approved_level=approved.get(day, ""),
        )
        for day in _dates(admitted_on, last)
    ]


def summarise(days: list[Day], reviews: list[ReviewDays], *, discharged: bool) -> DaysSummary:
    """Totals over the stay and per level of care. Requested, approved and denied days count
    what the reviews asked and decided; used days count calendar days at the level the member was
    at; remaining days are approved days still ahead (none once discharged)."""
    by_level: dict[str, Counter] = {}
    for review in reviews:
        c = by_level.setdefault(review.level_of_care, Counter())
        c["requested"] += review.days_requested
        c["approved"] += review.days_approved
        c["denied"] += review.days_denied
    last_used = max((d.on for d in days if d.used), default=None)
    for day in days:
        if day.used:
            by_level.setdefault(day.level_of_care, Counter())["used"] += 1
        ahead = not discharged and (last_used is None or day.on > last_used)
        if day.approved and ahead:
            by_level.setdefault(day.approved_level, Counter())["remaining"] += 1
    return DaysSummary(
        requested=sum(r.days_requested for r in reviews),
        approved=sum(r.days_approved for r in reviews),
        denied=sum(r.days_denied for r in reviews),
        pending=sum(r.days_requested for r in reviews if not r.decided),
        used=sum(1 for d in days if d.used),
        remaining=sum(c["remaining"] for c in by_level.values()),
        unapproved_used=sum(1 for d in days if d.used and not d.approved),
        avoidable=sum(1 for d in days if d.used and d.denied),
        last_covered_day=last_covered_day(reviews),
        by_level={
            level: {k: counts[k] for k in ("requested", "approved", "denied", "used", "remaining")}
            for level, counts in by_level.items()
        },
    )
