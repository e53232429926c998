"""Reopening a decision (e.g. after a peer-to-peer call): the case goes back to director review
and the next determination_issue(kind="reopening") links to the one it replaces."""

from django.db import transaction

from intake.models import CareRequest
from intake.services.transitions import care_request_transition
from um_portal.accounts.permissions import user_has_role
from um_portal.accounts.roles import Role
from um_portal.audit.services import audit_event
from um_portal.lib.errors import NotPermitted, ValidationFailed

from ..models import Determination


@transaction.atomic
def determination_reopen(*, case: CareRequest, director, reason: str) -> CareRequest:
    """Reopen a decided case for a new physician decision. The reason is required and kept on
    the status event and in the audit log."""
    if not user_has_role(director, Role.DIRECTOR):
        raise NotPermitted("Only a medical director can reopen a determination.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            "Give the reason for reopening.", field_errors={"reason": ["Required."]}
        )
    current = Determination.objects.filter(care_request=case).order_by("-decided_at").first()
    if current is None:
        raise ValidationFailed("This case has no determination to reopen.")
    case = care_request_transition(care_request=case, name="reopen", actor=director, note=reason)
    audit_event(
        actor=director,
        action="determination.reopened",
        case_id=case.pk,
        summary="Determination reopened for a new decision.",
        data={"determination": str(current.pk)},
    )
    return case
