"""What every review page shares: loading the case for the user and answering domain errors."""

import uuid

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse

from intake.selectors import INTAKE_READERS
from um_portal.accounts.roles import CLINICAL_ROLES
from um_portal.lib.errors import DomainError, NotFound, NotPermitted

from ..selectors.cases import care_request_get_for_reviewer


def load_case(request, case_id: uuid.UUID):
    try:
        return care_request_get_for_reviewer(user=request.user, case_id=case_id)
    except NotFound as exc:
        raise Http404 from exc


def raise_for_access(exc: DomainError) -> None:
    """NotPermitted and NotFound become Django's 403/404 pages; other errors are for the form."""
    if isinstance(exc, NotPermitted):
        raise PermissionDenied(exc.message) from exc
    if isinstance(exc, NotFound):
        raise Http404 from exc


def form_errors_from(form, exc: DomainError) -> None:
    """Copy a service's field errors onto the form (unknown fields become non-field errors)."""
    if not exc.field_errors:
        form.add_error(None, exc.message)
        return
    for name, messages in exc.field_errors.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


def case_page_url(user, case_id: uuid.UUID, *, prefer: str = "") -> str:
    """The case page this user works in: the 360° review view for nurses and directors, the
    intake case page for intake and managers ("" for anyone else). `prefer="intake"` picks the
    intake page for a user who may open both."""
    clinical = user.has_role(*CLINICAL_ROLES)
    intake = user.has_role(*INTAKE_READERS)
    if intake and (prefer == "intake" or not clinical):
        return reverse("intake:case", args=[case_id])
    if clinical:
        return reverse("review:case", args=[case_id])
    return ""
