"""Closing an appeal without a decision: dismissal (with its reason) or withdrawal."""

from django.db import transaction

from um_portal.audit.services import audit_event
from um_portal.lib.errors import ValidationFailed

from ..models import Appeal
from .transitions import appeal_transition


@transaction.atomic
def appeal_dismiss(*, appeal: Appeal, actor, reason: str, note: str = "") -> Appeal:
    """42 CFR 422.582(f), 422.568: dismiss for a listed reason; the note is kept on the event."""
    if reason not in Appeal.DismissalReason.values:
        raise ValidationFailed(
            "Choose why the appeal is dismissed.", field_errors={"reason": ["Choose a reason."]}
        )
    locked = appeal_transition(appeal=appeal, name="dismiss", actor=actor, note=note, reason=reason)
    Appeal.objects.filter(pk=locked.pk).update(closing_note=note)
    audit_event(
        actor=actor,
        action="appeal.dismissed",
        case_id=locked.care_request_id,
        summary=f"Appeal {locked.reference} dismissed: {locked.get_dismissal_reason_display()}.",
        data={"appeal": str(locked.pk), "reason": reason},
    )
    appeal.refresh_from_db()
    return appeal


@transaction.atomic
def appeal_withdraw(*, appeal: Appeal, actor, note: str = "") -> Appeal:
    """The requester withdraws the appeal."""
    locked = appeal_transition(appeal=appeal, name="withdraw", actor=actor, note=note)
    audit_event(
        actor=actor,
        action="appeal.withdrawn",
        case_id=locked.care_request_id,
        summary=f"Appeal {locked.reference} withdrawn.",
        data={"appeal": str(locked.pk)},
    )
    appeal.refresh_from_db()
    return appeal
