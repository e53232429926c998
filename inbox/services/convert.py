"""A confirmed fax becomes a case through intake's own path (care_request_create), keeping the
fax as the case's first document and its arrival as the receipt time; or, when it answers a
pending request for information, it is filed on that case instead."""

from dataclasses import dataclass

from django.db import transaction
from django_fsm import has_transition_perm

from intake.models import CareRequest, CareRequestStatus, DocumentKind
from intake.services.documents import document_upload
from intake.services.receipt import care_request_create, care_request_submit
from intake.services.workflow import care_request_mark_info_received
from um_portal.audit.services import audit_event
from um_portal.lib.errors import InvalidTransition, NotPermitted

from ..models import InboundDocument, InboundPage

S = InboundDocument.Status


@dataclass(frozen=True)
class PageFiling:
    """A page that is not the request form, kept on the case as a document of this kind."""

    page: InboundPage
    kind: str


def _locked_claim(document: InboundDocument, actor) -> InboundDocument:
    locked = InboundDocument.objects.select_for_update().get(pk=document.pk)
    if locked.status != S.CLAIMED or locked.claimed_by_id != actor.pk:
        raise InvalidTransition("Open the item from the inbox first: you are not working on it.")
    if not has_transition_perm(locked.convert, actor):
        raise NotPermitted("Your role may not create requests from the inbox.")
    return locked


def _file(document: InboundDocument, care_request: CareRequest, actor, filings) -> None:
    with document.file.open("rb") as fh:
        data = fh.read()
    document_upload(
        care_request=care_request,
        actor=actor,
        kind=DocumentKind.REQUEST_FORM,
        name=document.original_name,
        data=data,
        channel=CareRequest.Channel.FAX,
    )
    for filing in filings:
        with filing.page.image.open("rb") as fh:
            page_data = fh.read()
        document_upload(
            care_request=care_request,
            actor=actor,
            kind=filing.kind,
            name=f"{document.original_name} - page {filing.page.number}.png",
            data=page_data,
            channel=CareRequest.Channel.FAX,
        )


def _finish(locked: InboundDocument, care_request: CareRequest, actor, summary: str) -> None:
    locked.convert(care_request=care_request)
    locked.save()
    audit_event(
        actor=actor,
        action="inbox.converted",
        case_id=care_request.pk,
        summary=summary,
        data={"inbound_document": str(locked.pk)},
    )


@transaction.atomic
def inbound_document_create_case(
    *, document: InboundDocument, actor, filings: list[PageFiling], **request
) -> CareRequest:
    """Create the case from the confirmed fields (`request`: care_request_create's arguments).

    The case is created as a draft, the fax and its other pages are filed on it, then it is
    received with the fax's arrival time, so the rules see the documents and the clock runs from
    when the fax came in. ValidationFailed from intake writes nothing."""
    locked = _locked_claim(document, actor)
    care_request = care_request_create(actor=actor, submit=False, **request)
    _file(locked, care_request, actor, filings)
    care_request = care_request_submit(
        care_request=care_request, actor=actor, received_at=locked.arrived_at
    )
    _finish(locked, care_request, actor, f"Request {care_request.reference} created from a fax.")
    return care_request


@transaction.atomic
def inbound_document_attach(
    *, document: InboundDocument, actor, care_request: CareRequest, filings: list[PageFiling]
) -> CareRequest:
    """File the fax on the pending case it answers and mark the information received."""
    locked = _locked_claim(document, actor)
    if care_request.status != CareRequestStatus.PENDING_INFO:
        raise InvalidTransition(f"Request {care_request.reference} is not waiting for information.")
    _file(locked, care_request, actor, filings)
    care_request = care_request_mark_info_received(
        care_request=care_request, actor=actor, response="Received by fax."
    )
    _finish(locked, care_request, actor, f"Fax filed on {care_request.reference} as its answer.")
    return care_request
