"""Business days for the one-business-day P2P offer: Monday to Friday, minus holidays.

URAC expects a peer-to-peer to be offered and held within one business day; "one business day
after" a moment is the same wall-clock time on the next business day, counted from the start of
the next business day when the moment itself falls on a weekend or holiday.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def is_business_day(day: date, holidays: set[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def next_business_day(day: date, holidays: set[date]) -> date:
    """The first business day strictly after `day`."""
    day += timedelta(days=1)
    while not is_business_day(day, holidays):
        day += timedelta(days=1)
    return day


def one_business_day_after(moment: datetime, tz: ZoneInfo, holidays: set[date]) -> datetime:
    """The deadline one business day after `moment`, in `tz` (an aware datetime)."""
    local = moment.astimezone(tz)
    if not is_business_day(local.date(), holidays):
        start_day = next_business_day(local.date(), holidays)
        local = datetime.combine(start_day, time(0), tzinfo=tz)
    target = next_business_day(local.date(), holidays)
    return datetime.combine(target, local.time().replace(tzinfo=None), tzinfo=tz)
