"""Map domain errors (um_portal.lib.errors) onto HTML views: a status code, a user message and
field errors placed next to the form fields they belong to.

The status codes are the error classes' own, as for the API (um_portal.lib.api_errors).
"""

from collections.abc import Iterable, Mapping

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest

from um_portal.audit.services import audit_access

from .errors import DomainError


def domain_error_status(error: DomainError) -> int:
    """The HTTP status for a domain error, which each error class carries: 400 invalid input,
    403 not allowed, 404 not found, 409 not possible in the current state (or someone else
    acted first)."""
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


def case_file_response(
    *,
    user,
    case_id,
    stored_file,
    filename: str,
    content_type: str,
    action: str,
    object_id: str,
    as_attachment: bool = False,
    from_outside: bool = False,
) -> FileResponse:
    """Stream a case file (document or letter) after the caller checked access: audited in the
    access log, never cached by the browser or a proxy. A row whose file is gone answers 404.

    A file an outside party uploaded (`from_outside`) is always an attachment: opened inline it
    would run in our origin's browser context (a PDF viewer's scripts, a crafted image)."""
    try:
        stream = stored_file.open("rb")
    except FileNotFoundError as exc:  # the row outlived its file (e.g. a restored database)
        raise Http404 from exc
    audit_access(user=user, case_id=case_id, action=action, object_id=object_id)
    response = FileResponse(
        stream,
        content_type=content_type,
        filename=filename,
        as_attachment=as_attachment or from_outside,
    )
    response["Cache-Control"] = "private, no-store"
    if not (as_attachment or from_outside):
        # Staff open a document in place beside the criteria (a same-origin viewer frame); every
        # other page keeps X-Frame-Options DENY and frame-ancestors 'none'.
        response["X-Frame-Options"] = "SAMEORIGIN"
        response._csp_replace = {"frame-ancestors": ["'self'"]}
    return response
