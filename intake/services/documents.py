"""Document uploads: type sniffed from content, size limited, checksum stored."""

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat

from um_portal.audit.services import audit_event
from um_portal.lib.errors import ValidationFailed
from um_portal.lib.pdfscan import pdf_active_content

from ..models import CareRequest, ChecklistItem, Document

# Magic numbers of the formats we accept; the browser's claimed type is never trusted.
SIGNATURES: list[tuple[bytes, str]] = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),  # fax images
    (b"MM\x00*", "image/tiff"),
]


def sniff_content_type(head: bytes) -> str | None:
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def upload_bytes(upload) -> bytes:
    """An uploaded file's content, read one byte past the size limit at most: enough for
    validate_upload to refuse a file that is too large without holding all of it in memory."""
    return upload.read(settings.MAX_UPLOAD_BYTES + 1)


def validate_upload(*, name: str, data: bytes) -> str:
    """The sniffed content type, or ValidationFailed with a message for the `file` field."""
    if not data:
        raise ValidationFailed("The file is empty.", field_errors={"file": ["The file is empty."]})
    if len(data) > settings.MAX_UPLOAD_BYTES:
        message = f"The file is larger than {filesizeformat(settings.MAX_UPLOAD_BYTES)}."
        raise ValidationFailed(message, field_errors={"file": [message]})
    content_type = sniff_content_type(data[:16])
    if content_type is None:
        message = f"{name} is not a PDF, PNG, JPEG or TIFF file."
        raise ValidationFailed(message, field_errors={"file": [message]})
    if content_type == "application/pdf" and pdf_active_content(data):
        message = (
            f"{name} contains JavaScript or an action that starts a program, which we do not "
            "accept in documents. Print it to a new PDF (or scan it) and upload that."
        )
        raise ValidationFailed(message, field_errors={"file": [message]})
    return content_type


@transaction.atomic
def document_upload(
    *, care_request: CareRequest, actor, kind: str, name: str, data: bytes, channel: str
) -> Document:
    """Store a document on the case and tick the matching checklist item if it was missing."""
    content_type = validate_upload(name=name, data=data)
    document = Document(
        care_request=care_request,
        kind=kind,
        original_name=name[:200],
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        channel=channel,
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    document.file.save(name, ContentFile(data), save=False)
    document.save()
    ChecklistItem.objects.filter(
        care_request=care_request, document_kind=kind, document__isnull=True
    ).update(document=document)
    audit_event(
        actor=actor,
        action="document.uploaded",
        case_id=care_request.pk,
        summary=f"{document.get_kind_display()} uploaded.",
        data={"document": str(document.pk), "sha256": document.sha256},
    )
    return document
