"""Supporting documents of an appeal: stored as the case's documents (one storage, one access
check), linked to the appeal."""

from django.db import transaction

from intake.models import DocumentKind
from intake.services.documents import document_upload, validate_upload
from um_portal.lib.errors import ValidationFailed

from ..models import Appeal, AppealDocument
from .filing import appeal_file


@transaction.atomic
def appeal_document_add(*, appeal: Appeal, actor, name: str, data: bytes) -> AppealDocument:
    """Add a file to an open appeal (validated like every upload: type sniffed, size limited)."""
    if not appeal.is_open:
        raise ValidationFailed(
            "The appeal is closed; documents can no longer be added.",
            field_errors={"file": ["The appeal is closed."]},
        )
    document = document_upload(
        care_request=appeal.care_request,
        actor=actor,
        kind=DocumentKind.OTHER,
        name=name,
        data=data,
        channel=appeal.channel,
    )
    return AppealDocument.objects.create(appeal=appeal, document=document)


@transaction.atomic
def appeal_file_with_documents(*, files: list[tuple[str, bytes]], **filing) -> Appeal:
    """File an appeal and attach its documents in one transaction. Every file is checked
    before anything is stored, so a bad file refuses the whole filing and leaves no orphaned
    file in storage."""
    for name, data in files:
        validate_upload(name=name, data=data)
    appeal = appeal_file(**filing)
    for name, data in files:
        appeal_document_add(appeal=appeal, actor=filing["actor"], name=name, data=data)
    return appeal
