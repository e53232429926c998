"""Map domain errors (um_portal.lib.errors) onto HTML views: a status code, a user message and
field errors placed next to the form fields they belong to.

The DRF exception handler does the same for the API; keep the two consistent.
"""

from collections.abc import Iterable, Mapping

from django import forms
from django.contrib import messages
from django.http import HttpRequest

from .errors import DomainError, InvalidTransition, NotFound, NotPermitted, ValidationFailed

STATUS_BY_ERROR: list[tuple[type[DomainError], int]] = [
    (ValidationFailed, 400),
    (NotPermitted, 403),
    (NotFound, 404),
    (InvalidTransition, 409),
]


def domain_error_status(error: DomainError) -> int:
    """The HTTP status for a domain error: 400 invalid input, 403 not allowed, 404 not found,
    409 not possible in the current state (or someone else acted first)."""
    for error_class, status in STATUS_BY_ERROR:
        if isinstance(error, error_class):
            return status
    return error.status_code


def add_field_errors(
    form: forms.BaseForm,
    field_errors: Mapping[str, Iterable[str]],
    *,
    field_map: Mapping[str, str] | None = None,
) -> list[str]:
    """Attach a service's field errors to `form`.

    `field_map` renames service keys to form field names. Errors for keys the form has no field
    for become non-field errors, so nothing the service said is lost. Returns the keys used.
    """
    field_map = field_map or {}
    used = []
    for key, messages_ in field_errors.items():
        name = field_map.get(key, key)
        target = name if name in form.fields else None
        for message in messages_:
            form.add_error(target, message)
        used.append(key)
    return used


def report_domain_error(
    request: HttpRequest,
    error: DomainError,
    form: forms.BaseForm | None = None,
    *,
    field_map: Mapping[str, str] | None = None,
) -> int:
    """Show `error` to the user (its message, and its field errors on `form` when given) and
    return the status code the response should carry."""
    messages.error(request, error.message)
    if form is not None and error.field_errors:
        add_field_errors(form, error.field_errors, field_map=field_map)
    return domain_error_status(error)
