"""The one date and date-time format of every page, in the plan's time zone (settings.TIME_ZONE),
named: `{{ case.received_at|when }}` → "2026-12-04 10:44 EST", `{{ line.start_date|day }}` →
"2026-12-04". A builtin template library (settings.TEMPLATES), so no template loads it.

Peer-to-peer times too: `{{ slot.starts_at|span:slot.ends_at }}` → "2026-12-04 10:00–10:30 EST",
and, for a reader whose own time zone (User.time_zone) shows another clock, `{% your_time t %}`
adds " (your time: 2026-12-04 07:00 PST)" after the plan's time, which always comes first.

Letters keep their own formats: they are written in the member's language.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as date_format

register = template.Library()

DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i T"
TIME_FORMAT = "H:i"


def plan_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _in_plan_zone(value: datetime) -> datetime:
    if timezone.is_aware(value):
        return value.astimezone(plan_zone())
    return timezone.make_aware(value, plan_zone())


@register.filter(expects_localtime=False)
def when(value: datetime | None) -> str:
    """A moment, in the plan's time zone with its abbreviation."""
    if not isinstance(value, datetime):
        return day(value)
    return date_format(_in_plan_zone(value), DATETIME_FORMAT)


@register.filter(expects_localtime=False)
def span(start: datetime | None, end: datetime | None) -> str:
    """From one moment to another, in the plan's time zone: "2026-12-04 10:00–10:30 EST" (both
    moments in full when they fall on different days)."""
    if not isinstance(start, datetime) or not isinstance(end, datetime):
        return when(start)
    first, last = _in_plan_zone(start), _in_plan_zone(end)
    if first.date() != last.date():
        return f"{when(start)} – {when(end)}"
    return f"{date_format(first, f'{DATE_FORMAT} {TIME_FORMAT}')}–{date_format(last, 'H:i T')}"


@register.filter(expects_localtime=False)
def clock(value: datetime | None) -> str:
    """The time of day in the plan's time zone ("10:00"), under a heading that gives the day and
    a note that names the zone (calendar cells)."""
    if not isinstance(value, datetime):
        return ""
    return date_format(_in_plan_zone(value), TIME_FORMAT)


@register.simple_tag
def plan_zone_name() -> str:
    """The plan's time zone by name, for a page's "Times in ..." note."""
    return settings.TIME_ZONE


@register.simple_tag(takes_context=True)
def your_time(context, value: datetime | None) -> str:
    """ " (your time: 2026-12-04 07:00 PST)" when the signed-in reader's own time zone reads
    `value` differently from the plan's (a provider booking a call from another state); ""
    otherwise. The plan's time stays the one the page states first."""
    user = getattr(context.get("request"), "user", None)
    own = getattr(user, "time_zone", "") if user is not None else ""
    if not isinstance(value, datetime) or not own or own == settings.TIME_ZONE:
        return ""
    try:
        mine = value.astimezone(ZoneInfo(own))
    except (ZoneInfoNotFoundError, ValueError):
        return ""
    plan = _in_plan_zone(value)
    if (mine.utcoffset(), mine.tzname()) == (plan.utcoffset(), plan.tzname()):
        return ""
    return f" (your time: {date_format(mine, DATETIME_FORMAT)})"


@register.filter(expects_localtime=False)
def day(value: date | None) -> str:
    """A calendar date (a datetime is first put in the plan's time zone)."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(plan_zone()).date() if timezone.is_aware(value) else value.date()
    return date_format(value, DATE_FORMAT)
