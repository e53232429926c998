"""Receiving a file into the inbox. Whatever arrives is kept: a file that cannot be read becomes
an item with status "failed" and the reason, never a lost fax."""

import hashlib
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from intake.services.documents import sniff_content_type
from um_portal.audit.services import audit_event
from um_portal.lib.errors import ValidationFailed
from um_portal.lib.tasks import enqueue_on_commit

from ..models import InboundDocument


@transaction.atomic
def inbound_document_receive(
    *,
    actor,
    name: str,
    data: bytes,
    source: str,
    arrived_at: datetime | None = None,
) -> InboundDocument:
    """Store the file and queue its reading; an empty or unrecognised file is stored as failed.

    Raises ValidationFailed only for a file over MAX_UPLOAD_BYTES (it is not stored).
    """
    if len(data) > settings.MAX_UPLOAD_BYTES:
        message = f"{name} is larger than {filesizeformat(settings.MAX_UPLOAD_BYTES)}."
        raise ValidationFailed(message, field_errors={"files": [message]})
    content_type = sniff_content_type(data[:16]) or ""
    document = InboundDocument(
        source=source,
        original_name=(name or "fax")[:200],
        content_type=content_type or "application/octet-stream",
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        arrived_at=arrived_at or timezone.now(),
        received_by=actor if actor is not None and actor.is_authenticated else None,
    )
    document.file.save(name or "fax", ContentFile(data), save=False)
    reason = ""
    if not data:
        reason = "The file is empty (0 bytes): ask the sender to send it again."
    elif not content_type:
        reason = "The file is not a PDF, TIFF, PNG or JPEG."
    if reason:
        document.fail(reason=reason)
    document.save()
    audit_event(
        actor=actor,
        action="inbox.received",
        summary=f"Inbound document received ({document.get_source_display()}).",
        data={"inbound_document": str(document.pk), "sha256": document.sha256},
    )
    if not reason:
        from ..tasks import inbound_document_read  # the task module imports the services

        enqueue_on_commit(inbound_document_read, str(document.pk))
    return document
