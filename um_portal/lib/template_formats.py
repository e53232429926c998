"""The one date and date-time format of every page, in the plan's time zone (settings.TIME_ZONE),
named: `{{ case.received_at|when }}` → "2026-12-04 10:44 EST", `{{ line.start_date|day }}` →
"2026-12-04". A builtin template library (settings.TEMPLATES), so no template loads it.

Letters keep their own formats: they are written in the member's language.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as date_format

register = template.Library()

DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i T"


def plan_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@register.filter(expects_localtime=False)
def when(value: datetime | None) -> str:
    """A moment, in the plan's time zone with its abbreviation."""
    if not isinstance(value, datetime):
        return day(value)
    if timezone.is_aware(value):
        value = value.astimezone(plan_zone())
    else:
        value = timezone.make_aware(value, plan_zone())
    return date_format(value, DATETIME_FORMAT)


@register.filter(expects_localtime=False)
def day(value: date | None) -> str:
    """A calendar date (a datetime is first put in the plan's time zone)."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(plan_zone()).date() if timezone.is_aware(value) else value.date()
    return date_format(value, DATE_FORMAT)
