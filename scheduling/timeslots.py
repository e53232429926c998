"""Wall-clock availability → UTC slots, correct across time zones and daylight-saving changes.

Framework-free so the arithmetic can be tested on its own. A window's ends are placed on the
director's wall clock with zoneinfo (fold=0: a time skipped by spring-forward moves forward by the
gap, an ambiguous fall-back time means its first occurrence), and the slots are then cut in real
elapsed time: a 00:00–04:00 window on the spring-forward night is three hours long, on the
fall-back night five, and each slot lasts exactly `minutes`.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Window:
    start: time
    end: time
    minutes: int = 30


def wall_to_utc(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock `at` on `day` in `tz`."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def day_slots(
    day: date,
    tz: ZoneInfo,
    windows: list[Window],
    off: list[tuple[time, time]] = (),
) -> list[tuple[datetime, datetime]]:
    """The (start, end) UTC pairs of the slots in `windows` on `day`, minus any slot that overlaps
    an `off` stretch. Sorted by start, without duplicates."""
    off_utc = [(wall_to_utc(day, a, tz), wall_to_utc(day, b, tz)) for a, b in off]
    slots: set[tuple[datetime, datetime]] = set()
    for window in windows:
        start = wall_to_utc(day, window.start, tz)
        end = wall_to_utc(day, window.end, tz)
        step = timedelta(minutes=window.minutes)
        cursor = start
        while cursor + step <= end:
            slot = (cursor, cursor + step)
            if not any(slot[0] < b and a < slot[1] for a, b in off_utc):
                slots.add(slot)
            cursor += step
    return sorted(slots)


def local_day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants at which `day` begins and the next day begins in `tz`."""
    return wall_to_utc(day, time(0), tz), wall_to_utc(day + timedelta(days=1), time(0), tz)
