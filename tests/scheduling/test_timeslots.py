"""Wall-clock windows → UTC slots across time zones and daylight-saving changes."""

from datetime import date, time
from zoneinfo import ZoneInfo

from scheduling.timeslots import Window, day_slots, wall_to_utc
from tests.scheduling.conftest import utc

NY = ZoneInfo("America/New_York")
LA = ZoneInfo("America/Los_Angeles")


def starts(slots):
    return [s for s, _ in slots]


def test_nine_am_new_york_is_14_utc_in_winter_and_13_utc_in_summer():
    assert wall_to_utc(date(2026, 1, 12), time(9), NY) == utc(2026, 1, 12, 14)
    assert wall_to_utc(date(2026, 7, 13), time(9), NY) == utc(2026, 7, 13, 13)


def test_same_wall_clock_window_in_two_zones_gives_different_utc_slots():
    window = [Window(time(9), time(10), 30)]
    assert starts(day_slots(date(2026, 1, 12), NY, window)) == [
        utc(2026, 1, 12, 14),
        utc(2026, 1, 12, 14, 30),
    ]
    assert starts(day_slots(date(2026, 1, 12), LA, window)) == [
        utc(2026, 1, 12, 17),
        utc(2026, 1, 12, 17, 30),
    ]


def test_window_crossing_spring_forward_night_is_three_real_hours():
    # 8 March 2026, 02:00 EST → 03:00 EDT: the wall clock skips an hour.
    slots = day_slots(date(2026, 3, 8), NY, [Window(time(0), time(4), 30)])
    assert starts(slots) == [
        utc(2026, 3, 8, 5),  # 00:00 EST
        utc(2026, 3, 8, 5, 30),
        utc(2026, 3, 8, 6),  # 01:00 EST
        utc(2026, 3, 8, 6, 30),
        utc(2026, 3, 8, 7),  # 03:00 EDT
        utc(2026, 3, 8, 7, 30),
    ]
    assert all((end - start).total_seconds() == 1800 for start, end in slots)


def test_window_crossing_fall_back_night_is_five_real_hours():
    # 1 November 2026, 02:00 EDT → 01:00 EST: the wall clock repeats an hour.
    slots = day_slots(date(2026, 11, 1), NY, [Window(time(0), time(4), 60)])
    assert starts(slots) == [
        utc(2026, 11, 1, 4),  # 00:00 EDT
        utc(2026, 11, 1, 5),  # 01:00 EDT
        utc(2026, 11, 1, 6),  # 01:00 EST (again)
        utc(2026, 11, 1, 7),  # 02:00 EST
        utc(2026, 11, 1, 8),  # 03:00 EST
    ]


def test_day_after_each_change_uses_the_new_offset():
    window = [Window(time(9), time(9, 30), 30)]
    assert starts(day_slots(date(2026, 3, 6), NY, window)) == [utc(2026, 3, 6, 14)]
    assert starts(day_slots(date(2026, 3, 9), NY, window)) == [utc(2026, 3, 9, 13)]
    assert starts(day_slots(date(2026, 10, 30), NY, window)) == [utc(2026, 10, 30, 13)]
    assert starts(day_slots(date(2026, 11, 2), NY, window)) == [utc(2026, 11, 2, 14)]


def test_off_stretch_removes_only_overlapping_slots():
    slots = day_slots(
        date(2026, 1, 12), NY, [Window(time(9), time(11), 30)], off=[(time(9, 45), time(10, 15))]
    )
    assert starts(slots) == [utc(2026, 1, 12, 14), utc(2026, 1, 12, 15, 30)]


def test_overlapping_windows_do_not_duplicate_slots():
    slots = day_slots(
        date(2026, 1, 12), NY, [Window(time(9), time(10), 30), Window(time(9, 30), time(10), 30)]
    )
    assert starts(slots) == [utc(2026, 1, 12, 14), utc(2026, 1, 12, 14, 30)]
