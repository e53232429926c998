"""A director's week of slots and bookings, and every director's free slots for nurses."""

from datetime import date, datetime, time, timedelta

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role
from um_portal.lib.template_formats import plan_zone

from ..selectors import director_week, directors
from ..selectors import free_slots as free_slots_selector


def _week_start(request) -> date:
    try:
        day = date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        day = timezone.localdate()
    return day - timedelta(days=day.weekday())


@role_required(Role.DIRECTOR, Role.NURSE)
def calendar(request):
    """A director sees their own week; a nurse picks a director. Days and times are the plan's
    (its time zone, named on the page), like every other page."""
    all_directors = list(directors())
    if request.user.has_role(Role.DIRECTOR) and "director" not in request.GET:
        director = request.user
    else:
        wanted = request.GET.get("director", "")
        director = next((d for d in all_directors if str(d.pk) == wanted), None)
        if director is None and wanted:
            raise Http404
        director = director or (all_directors[0] if all_directors else None)
    start = _week_start(request)
    tz = plan_zone()
    days = []
    if director is not None:
        begin = datetime.combine(start, time(0), tzinfo=tz)
        end = datetime.combine(start + timedelta(days=7), time(0), tzinfo=tz)
        slots = director_week(director=director, week_start_utc=begin, week_end_utc=end)
        for offset in range(7):
            day = start + timedelta(days=offset)
            days.append(
                {
                    "date": day,
                    "slots": [s for s in slots if s.starts_at.astimezone(tz).date() == day],
                }
            )
    return render(
        request,
        "scheduling/calendar.html",
        {
            "director": director,
            "directors": all_directors,
            "days": days,
            "week_start": start,
            "prev_week": start - timedelta(days=7),
            "next_week": start + timedelta(days=7),
            "this_week": timezone.localdate() - timedelta(days=timezone.localdate().weekday()),
        },
    )


@role_required(Role.NURSE, Role.DIRECTOR)
def free_slots(request):
    """Every director's free slots for the coming two weeks, by day, for booking from a case."""
    now = timezone.now()
    slots = list(free_slots_selector(now=now, until=now + timedelta(days=14)))
    days: dict[date, list] = {}
    for slot in slots:
        days.setdefault(slot.starts_at.astimezone(plan_zone()).date(), []).append(slot)
    return render(
        request,
        "scheduling/free_slots.html",
        {"days": sorted(days.items()), "count": len(slots)},
    )
