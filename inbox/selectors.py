"""Inbox reads, scoped to the user who asks (the inbox is intake's; a fax gateway sees only what
it delivered)."""

import uuid

from django.db.models import QuerySet

from .models import ExtractedField, InboundDocument, InboundPage
from .permissions import may_work_inbox

S = InboundDocument.Status
OPEN_STATUSES = (S.RECEIVED, S.PROCESSING, S.READ, S.FAILED, S.CLAIMED)


def inbound_document_list_for_user(*, user, include_done: bool = False) -> QuerySet:
    """The inbox: oldest first, with who holds each item (one query)."""
    if not may_work_inbox(user):
        return InboundDocument.objects.none()
    qs = InboundDocument.objects.select_related("claimed_by", "care_request")
    if not include_done:
        qs = qs.filter(status__in=OPEN_STATUSES)
    return qs.order_by("arrived_at", "pk")


def inbound_document_get_for_user(*, user, pk: uuid.UUID) -> InboundDocument | None:
    """One item, or None when the user may not see it (the caller answers 404)."""
    qs = InboundDocument.objects.select_related("claimed_by", "care_request")
    if not may_work_inbox(user):
        qs = qs.filter(received_by=user) if user.is_authenticated else qs.none()
    return qs.filter(pk=pk).first()


def inbound_pages(*, document: InboundDocument) -> list[InboundPage]:
    return list(InboundPage.objects.filter(document=document).order_by("number"))


def extracted_fields(*, document: InboundDocument) -> list[ExtractedField]:
    return list(ExtractedField.objects.filter(document=document).order_by("sequence"))
