"""Directors' availability (weekly rules and exceptions) and the slots generated from it."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from um_portal.accounts.models import User
from um_portal.accounts.roles import Role
from um_portal.audit.services import audit_event
from um_portal.lib.errors import NotPermitted, ValidationFailed

from ..models import (
    SLOT_TAKEN_STATUSES,
    AvailabilityException,
    AvailabilityRule,
    PeerToPeer,
    Slot,
)
from ..timeslots import Window, day_slots, local_day_bounds


def slot_weeks() -> int:
    return int(getattr(settings, "P2P_SLOT_WEEKS", 4))


def director_zone(director: User) -> ZoneInfo:
    try:
        return ZoneInfo(director.time_zone or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class GenerationResult:
    created: int
    withdrawn: int
    restored: int
    booked_outside: int  # booked slots no longer covered by availability: to be rescheduled


def _check_director(director: User) -> None:
    if not director.has_role(Role.DIRECTOR):
        raise NotPermitted("Only a medical director has peer-to-peer availability.")


def _desired_slots(director: User, first: date, last: date) -> dict[datetime, datetime]:
    """start → end (UTC) of every slot the rules and exceptions give on [first, last]."""
    tz = director_zone(director)
    rules = list(
        AvailabilityRule.objects.filter(director=director, valid_from__lte=last).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=first)
        )
    )
    exceptions: dict[date, list[AvailabilityException]] = {}
    for exc in AvailabilityException.objects.filter(
        director=director, date__gte=first, date__lte=last
    ):
        exceptions.setdefault(exc.date, []).append(exc)
    desired: dict[datetime, datetime] = {}
    day = first
    while day <= last:
        todays_rules = [
            r
            for r in rules
            if r.weekday == day.weekday()
            and r.valid_from <= day
            and (r.valid_to is None or r.valid_to >= day)
        ]
        windows = [Window(r.start_time, r.end_time, r.slot_minutes) for r in todays_rules]
        day_exceptions = exceptions.get(day, [])
        if any(e.kind == e.Kind.OFF and e.start_time is None for e in day_exceptions):
            windows = []
        changed = [e for e in day_exceptions if e.kind == e.Kind.HOURS]
        if changed:
            minutes = todays_rules[0].slot_minutes if todays_rules else 30
            windows = [Window(e.start_time, e.end_time, minutes) for e in changed]
        off = [
            (e.start_time, e.end_time)
            for e in day_exceptions
            if e.kind == e.Kind.OFF and e.start_time is not None
        ]
        for start, end in day_slots(day, tz, windows, off):
            desired.setdefault(start, end)  # overlapping rules: the first slot at a time wins
        day += timedelta(days=1)
    return desired


@transaction.atomic
def slots_generate(
    *, director: User, now: datetime | None = None, weeks: int | None = None
) -> GenerationResult:
    """Bring the director's future slots for the coming `weeks` in line with their availability.

    Idempotent: existing slots are kept, missing ones created, slots no longer covered withdrawn
    (unless booked: a booking is never silently dropped; it is counted for rescheduling), and
    withdrawn slots covered again restored. Past slots are never touched.
    """
    now = now or timezone.now()
    weeks = slot_weeks() if weeks is None else weeks
    tz = director_zone(director)
    first = now.astimezone(tz).date()
    last = first + timedelta(days=7 * weeks - 1)
    desired = {s: e for s, e in _desired_slots(director, first, last).items() if s > now}
    _, range_end = local_day_bounds(last, tz)
    existing = {
        s.starts_at: s
        for s in Slot.objects.select_for_update()
        .filter(director=director, starts_at__gt=now, starts_at__lt=range_end)
        .annotate(
            booked=Exists(
                PeerToPeer.objects.filter(slot=OuterRef("pk"), status__in=SLOT_TAKEN_STATUSES)
            )
        )
    }
    to_create = [
        Slot(director=director, starts_at=start, ends_at=end)
        for start, end in desired.items()
        if start not in existing
    ]
    Slot.objects.bulk_create(to_create, ignore_conflicts=True)
    withdraw, restore, booked_outside = [], [], 0
    for start, slot in existing.items():
        if start in desired:
            if slot.is_withdrawn or slot.ends_at != desired[start]:
                if not slot.booked:
                    slot.ends_at = desired[start]
                slot.is_withdrawn = False
                restore.append(slot)
        elif slot.booked:
            booked_outside += 1
        elif not slot.is_withdrawn:
            slot.is_withdrawn = True
            withdraw.append(slot)
    Slot.objects.bulk_update(withdraw + restore, ["is_withdrawn", "ends_at"])
    return GenerationResult(len(to_create), len(withdraw), len(restore), booked_outside)


def slots_generate_all(*, now: datetime | None = None) -> int:
    """Regenerate every active director's slots; returns how many directors were done."""
    directors = User.objects.filter(is_active=True, groups__name=Role.DIRECTOR).distinct()
    count = 0
    for director in directors:
        slots_generate(director=director, now=now)
        count += 1
    return count


def _overlaps_rule(director: User, weekday: int, start: time, end: time, exclude=None) -> bool:
    qs = AvailabilityRule.objects.filter(
        director=director, weekday=weekday, start_time__lt=end, end_time__gt=start
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.exists()


@transaction.atomic
def availability_rule_create(
    *,
    director: User,
    actor: User,
    weekday: int,
    start_time: time,
    end_time: time,
    slot_minutes: int = 30,
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> AvailabilityRule:
    """Add a weekly window to a director's availability and regenerate their slots."""
    _check_director(director)
    errors: dict[str, list[str]] = {}
    if end_time <= start_time:
        errors["end_time"] = ["End after the start (a window cannot cross midnight)."]
    if not 10 <= slot_minutes <= 240:
        errors["slot_minutes"] = ["Between 10 and 240 minutes."]
    valid_from = valid_from or timezone.localdate()
    if valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = ["On or after the first day."]
    if not errors and _overlaps_rule(director, weekday, start_time, end_time):
        errors["start_time"] = ["Overlaps another window on that day."]
    if errors:
        raise ValidationFailed("The availability window has errors.", field_errors=errors)
    rule = AvailabilityRule.objects.create(
        director=director,
        weekday=weekday,
        start_time=start_time,
        end_time=end_time,
        slot_minutes=slot_minutes,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    audit_event(
        actor=actor,
        action="availability.rule_added",
        summary=f"{director.display_name}: {rule}",
        data={"director": str(director.pk), "rule": rule.pk},
    )
    slots_generate(director=director)
    return rule


@transaction.atomic
def availability_exception_create(
    *,
    director: User,
    actor: User,
    day: date,
    kind: str = AvailabilityException.Kind.OFF,
    start_time: time | None = None,
    end_time: time | None = None,
    reason: str = "",
) -> AvailabilityException:
    """Record a holiday, leave or changed hours on one date and regenerate the director's slots
    (slots it removes are withdrawn unless booked)."""
    _check_director(director)
    errors: dict[str, list[str]] = {}
    if kind not in AvailabilityException.Kind.values:
        errors["kind"] = ["Choose a kind."]
    if (start_time is None) != (end_time is None):
        errors["end_time"] = ["Give both times, or neither for the whole day."]
    elif start_time is not None and end_time <= start_time:
        errors["end_time"] = ["End after the start."]
    if kind == AvailabilityException.Kind.HOURS and start_time is None:
        errors["start_time"] = ["Changed hours need a start and an end."]
    if errors:
        raise ValidationFailed("The exception has errors.", field_errors=errors)
    exc = AvailabilityException.objects.create(
        director=director,
        date=day,
        kind=kind,
        start_time=start_time,
        end_time=end_time,
        reason=(reason or "").strip()[:100],
    )
    audit_event(
        actor=actor,
        action="availability.exception_added",
        summary=f"{director.display_name}: {exc}",
        data={"director": str(director.pk), "exception": exc.pk},
    )
    slots_generate(director=director)
    return exc


@transaction.atomic
def availability_rule_delete(*, rule: AvailabilityRule, actor: User) -> None:
    """Remove a weekly window; its unbooked future slots are withdrawn."""
    director = rule.director
    audit_event(
        actor=actor,
        action="availability.rule_removed",
        summary=f"{director.display_name}: {rule}",
        data={"director": str(director.pk)},
    )
    rule.delete()
    slots_generate(director=director)


@transaction.atomic
def availability_exception_delete(*, exception: AvailabilityException, actor: User) -> None:
    """Remove an exception; the slots it withdrew come back."""
    director = exception.director
    audit_event(
        actor=actor,
        action="availability.exception_removed",
        summary=f"{director.display_name}: {exception}",
        data={"director": str(director.pk)},
    )
    exception.delete()
    slots_generate(director=director)
