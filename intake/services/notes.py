from django.db import transaction

from um_portal.audit.services import audit_event
from um_portal.lib.errors import ValidationFailed

from ..models import CareRequest, CaseNote


@transaction.atomic
def case_note_add(
    *, care_request: CareRequest, author, body: str, visibility: str = CaseNote.Visibility.INTERNAL
) -> CaseNote:
    """Add a note; internal notes are never shown to the provider."""
    body = (body or "").strip()
    if not body:
        raise ValidationFailed("Write the note first.", field_errors={"body": ["Required."]})
    if visibility not in CaseNote.Visibility.values:
        raise ValidationFailed("Unknown visibility.", field_errors={"visibility": ["Invalid."]})
    note = CaseNote.objects.create(
        care_request=care_request, author=author, body=body, visibility=visibility
    )
    audit_event(
        actor=author,
        action="note.added",
        case_id=care_request.pk,
        summary=f"{note.get_visibility_display()} note added.",
    )
    return note
