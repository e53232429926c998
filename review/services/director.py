"""The medical director's workflow actions offered on the case view (the decision itself is the
determinations app's page)."""

from django.db import transaction

from intake.models import CareRequest
from intake.services.transitions import care_request_transition
from um_portal.lib.errors import ValidationFailed


def _reason(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationFailed("Give the reason.", field_errors={"note": ["Required."]})
    return note


@transaction.atomic
def care_request_return_to_nurse(*, care_request: CareRequest, actor, note: str) -> CareRequest:
    """The director sends the case back to nurse review, e.g. for missing criteria answers."""
    return care_request_transition(
        care_request=care_request, name="refer_back_to_nurse", actor=actor, note=_reason(note)
    )
