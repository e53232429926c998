"""Helpers shared by the scheduling views."""

from collections.abc import Callable
from functools import wraps
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib import messages
from django.utils import timezone

from um_portal.lib.errors import DomainError
from um_portal.lib.http import add_field_errors, domain_error_status


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


def apply_domain_error(request, form, error: DomainError) -> int:
    """Show a service's refusal on the form (field messages where they belong, the message on
    top when none is about a field; as a page message without a form) and return the status
    the answer carries (um_portal.lib.http: the error class's own)."""
    if form is None:
        messages.error(request, error.message)
    elif not error.field_errors:
        form.add_error(None, error.message)
    else:
        add_field_errors(form, error.field_errors)
    return domain_error_status(error)
