"""US federal holidays (5 U.S.C. 6103) with their observed dates, for the demo's holiday list.

A holiday on a Saturday is observed the Friday before, on a Sunday the Monday after.
"""

from datetime import date, timedelta


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    last = date(year, month + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: date) -> date:
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


def us_federal_holidays(year: int) -> list[tuple[date, str]]:
    """The observed federal holidays of `year`, in date order."""
    mon, thu = 0, 3
    days = [
        (_observed(date(year, 1, 1)), "New Year's Day"),
        (_nth_weekday(year, 1, mon, 3), "Birthday of Martin Luther King, Jr."),
        (_nth_weekday(year, 2, mon, 3), "Washington's Birthday"),
        (_last_weekday(year, 5, mon), "Memorial Day"),
        (_observed(date(year, 6, 19)), "Juneteenth National Independence Day"),
        (_observed(date(year, 7, 4)), "Independence Day"),
        (_nth_weekday(year, 9, mon, 1), "Labor Day"),
        (_nth_weekday(year, 10, mon, 2), "Columbus Day"),
        (_observed(date(year, 11, 11)), "Veterans Day"),
        (_nth_weekday(year, 11, thu, 4), "Thanksgiving Day"),
        (_observed(date(year, 12, 25)), "Christmas Day"),
    ]
    return sorted(days)
