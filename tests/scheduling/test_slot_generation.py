"""Slot generation from weekly rules and exceptions: idempotent, zone- and DST-correct."""

from datetime import date, time

import pytest
import time_machine

from scheduling.models import AvailabilityException, AvailabilityRule, PeerToPeer, Slot
from scheduling.services.availability import (
    availability_exception_create,
    availability_rule_create,
    slots_generate,
)
from tests.scheduling.conftest import utc
from um_portal.lib.errors import NotPermitted, ValidationFailed

pytestmark = pytest.mark.django_db


def rule(director, weekday, start, end, minutes=30, valid_from=date(2026, 1, 1)):
    return AvailabilityRule.objects.create(
        director=director,
        weekday=weekday,
        start_time=start,
        end_time=end,
        slot_minutes=minutes,
        valid_from=valid_from,
    )


def slot_starts(director):
    return list(
        Slot.objects.filter(director=director, is_withdrawn=False)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
    )


def test_weekly_rule_becomes_utc_slots_in_the_directors_zone(director, director_la):
    for who in (director, director_la):
        rule(who, 0, time(9), time(10))  # Mondays 09:00–10:00 on their own clock
    now = utc(2026, 1, 10, 12)  # a Saturday
    slots_generate(director=director, now=now, weeks=1)
    slots_generate(director=director_la, now=now, weeks=1)
    assert slot_starts(director) == [utc(2026, 1, 12, 14), utc(2026, 1, 12, 14, 30)]
    assert slot_starts(director_la) == [utc(2026, 1, 12, 17), utc(2026, 1, 12, 17, 30)]


def test_generation_is_idempotent(director):
    rule(director, 0, time(9), time(12))
    now = utc(2026, 1, 10, 12)
    first = slots_generate(director=director, now=now, weeks=2)
    second = slots_generate(director=director, now=now, weeks=2)
    assert (first.created, second.created, second.withdrawn) == (12, 0, 0)
    assert Slot.objects.filter(director=director).count() == 12


def test_weeks_spanning_spring_forward_keep_the_wall_clock(director):
    rule(director, 4, time(9), time(9, 30))  # Fridays 09:00 New York
    slots_generate(director=director, now=utc(2026, 3, 1, 12), weeks=2)
    # Friday 6 March (EST) and Friday 13 March (EDT, after 8 March).
    assert slot_starts(director) == [utc(2026, 3, 6, 14), utc(2026, 3, 13, 13)]


def test_weeks_spanning_fall_back_keep_the_wall_clock(director_la):
    rule(director_la, 4, time(9), time(9, 30))  # Fridays 09:00 Los Angeles
    slots_generate(director=director_la, now=utc(2026, 10, 25, 12), weeks=2)
    # Friday 30 October (PDT, UTC-7) and Friday 6 November (PST, UTC-8, after 1 November).
    assert slot_starts(director_la) == [utc(2026, 10, 30, 16), utc(2026, 11, 6, 17)]


def test_a_sunday_rule_crossing_the_spring_forward_night(director):
    rule(director, 6, time(0), time(4), minutes=60)  # Sundays 00:00–04:00
    slots_generate(director=director, now=utc(2026, 3, 7, 12), weeks=1)
    assert slot_starts(director) == [
        utc(2026, 3, 8, 5),
        utc(2026, 3, 8, 6),
        utc(2026, 3, 8, 7),  # 03:00 EDT; 02:00 does not exist that night
    ]


def test_whole_day_exception_withdraws_free_slots_and_removal_restores_them(director):
    rule(director, 0, time(9), time(10))
    now = utc(2026, 1, 10, 12)
    slots_generate(director=director, now=now, weeks=1)
    exc = AvailabilityException.objects.create(
        director=director, date=date(2026, 1, 12), reason="Leave"
    )
    result = slots_generate(director=director, now=now, weeks=1)
    assert (result.withdrawn, slot_starts(director)) == (2, [])
    assert Slot.objects.filter(director=director, is_withdrawn=True).count() == 2
    exc.delete()
    result = slots_generate(director=director, now=now, weeks=1)
    assert result.restored == 2
    assert slot_starts(director) == [utc(2026, 1, 12, 14), utc(2026, 1, 12, 14, 30)]


def test_exception_never_withdraws_a_booked_slot(director, denied_case, nurse):
    rule(director, 0, time(9), time(10))
    now = utc(2026, 1, 10, 12)
    slots_generate(director=director, now=now, weeks=1)
    booked = Slot.objects.get(director=director, starts_at=utc(2026, 1, 12, 14))
    PeerToPeer.objects.create(
        care_request=denied_case,
        slot=booked,
        status=PeerToPeer.Status.SCHEDULED,
        requested_by=nurse,
        provider_contact_name="Dr. Lee",
        provider_contact_phone="555-0101",
    )
    AvailabilityException.objects.create(director=director, date=date(2026, 1, 12))
    result = slots_generate(director=director, now=now, weeks=1)
    assert (result.withdrawn, result.booked_outside) == (1, 1)
    booked.refresh_from_db()
    assert booked.is_withdrawn is False


def test_changed_hours_replace_the_pattern_for_that_day(director):
    rule(director, 0, time(9), time(10))
    AvailabilityException.objects.create(
        director=director,
        date=date(2026, 1, 12),
        kind=AvailabilityException.Kind.HOURS,
        start_time=time(14),
        end_time=time(15),
    )
    slots_generate(director=director, now=utc(2026, 1, 10, 12), weeks=1)
    assert slot_starts(director) == [utc(2026, 1, 12, 19), utc(2026, 1, 12, 19, 30)]


def test_partial_leave_removes_only_those_hours(director):
    rule(director, 0, time(9), time(11))
    AvailabilityException.objects.create(
        director=director, date=date(2026, 1, 12), start_time=time(9), end_time=time(10)
    )
    slots_generate(director=director, now=utc(2026, 1, 10, 12), weeks=1)
    assert slot_starts(director) == [utc(2026, 1, 12, 15), utc(2026, 1, 12, 15, 30)]


def test_past_slots_are_never_created_or_touched(director):
    rule(director, 0, time(9), time(10))
    old = Slot.objects.create(
        director=director, starts_at=utc(2026, 1, 12, 13), ends_at=utc(2026, 1, 12, 13, 30)
    )
    # Monday 12 January, 14:15 UTC: the 14:00 slot has started, only 14:30 is ahead today.
    slots_generate(director=director, now=utc(2026, 1, 12, 14, 15), weeks=1)
    assert slot_starts(director) == [utc(2026, 1, 12, 13), utc(2026, 1, 12, 14, 30)]
    old.refresh_from_db()
    assert old.is_withdrawn is False


def test_rule_valid_dates_limit_generation(director):
    AvailabilityRule.objects.create(
        director=director,
        weekday=0,
        start_time=time(9),
        end_time=time(9, 30),
        valid_from=date(2026, 1, 19),
        valid_to=date(2026, 1, 26),
    )
    slots_generate(director=director, now=utc(2026, 1, 10, 12), weeks=4)
    assert slot_starts(director) == [utc(2026, 1, 19, 14), utc(2026, 1, 26, 14)]


def test_rule_service_validates_and_writes_nothing_on_error(director):
    with pytest.raises(ValidationFailed) as err:
        availability_rule_create(
            director=director, actor=director, weekday=0, start_time=time(10), end_time=time(9)
        )
    assert "end_time" in err.value.field_errors
    assert AvailabilityRule.objects.count() == 0


def test_overlapping_rule_is_refused(director):
    availability_rule_create(
        director=director, actor=director, weekday=0, start_time=time(9), end_time=time(12)
    )
    with pytest.raises(ValidationFailed) as err:
        availability_rule_create(
            director=director, actor=director, weekday=0, start_time=time(11), end_time=time(13)
        )
    assert err.value.field_errors == {"start_time": ["Overlaps another window on that day."]}


def test_only_directors_have_availability(nurse):
    with pytest.raises(NotPermitted):
        availability_exception_create(director=nurse, actor=nurse, day=date(2026, 12, 1))
    assert AvailabilityException.objects.count() == 0


def test_nightly_task_rolls_every_directors_slots(director, director_la, nurse):
    from scheduling.tasks import slots_generate_all_task

    rule(director, 0, time(9), time(10))
    rule(director_la, 0, time(9), time(10))
    with time_machine.travel(utc(2026, 11, 22, 12), tick=False):  # a Sunday
        assert slots_generate_all_task() == 2
        assert slots_generate_all_task() == 2
    assert Slot.objects.filter(director=director).count() == 8  # four Mondays × two slots
    assert Slot.objects.filter(director=director_la).count() == 8
    assert Slot.objects.count() == 16
