"""Helpers shared by the scheduling views."""

from collections.abc import Callable
from functools import wraps
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib import messages
from django.utils import timezone

from um_portal.lib.errors import DomainError


def user_zone(user) -> ZoneInfo:
    try:
        return ZoneInfo(getattr(user, "time_zone", "") or settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def in_user_zone(view: Callable) -> Callable:
    """Show times, and read typed-in times, on the signed-in user's own clock."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        with timezone.override(user_zone(request.user)):
            return view(request, *args, **kwargs)

    wrapped.required_roles = getattr(view, "required_roles", ())
    return wrapped


def apply_domain_error(request, form, error: DomainError) -> None:
    """Show a service's refusal on the form: field messages where they belong, else on top."""
    placed = False
    for field, errors in error.field_errors.items():
        for message in errors:
            if form is not None and field in form.fields:
                form.add_error(field, message)
                placed = True
    if not placed:
        if form is not None:
            form.add_error(None, error.message)
        else:
            messages.error(request, error.message)
