"""The intake inbox list: what arrived, its reading progress, uploads, and claiming an item
(one specialist per item, like "Get next case")."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from intake.services.documents import upload_bytes
from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role
from um_portal.lib.errors import DomainError, ValidationFailed
from um_portal.lib.http import case_file_response

from ..forms import InboxUploadForm
from ..models import InboundDocument, InboundPage
from ..selectors import inbound_document_get_for_user, inbound_document_list_for_user
from ..services.claim import inbound_document_claim, inbound_document_claim_next
from ..services.claim import inbound_document_release as release_service
from ..services.receive import inbound_document_receive

S = InboundDocument.Status


def get_document(request: HttpRequest, pk) -> InboundDocument:
    """The item if this user may see it; 404 otherwise (its existence is not revealed)."""
    document = inbound_document_get_for_user(user=request.user, pk=pk)
    if document is None:
        raise Http404
    return document


@role_required(Role.INTAKE)
def inbox(request: HttpRequest) -> HttpResponse:
    """The inbox, oldest first; polls itself while something is being read."""
    documents = list(inbound_document_list_for_user(user=request.user))
    context = {
        "documents": documents,
        "upload_form": InboxUploadForm(),
        "reading": any(d.status in (S.RECEIVED, S.PROCESSING) for d in documents),
    }
    return render(request, "inbox/inbox.html", context)


@role_required(Role.INTAKE)
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    form = InboxUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose one or more files to upload.")
        return redirect("inbox:list")
    count = 0
    for upload_ in form.cleaned_data["files"]:
        try:
            inbound_document_receive(
                actor=request.user,
                name=upload_.name,
                data=upload_bytes(upload_),
                source=InboundDocument.Source.UPLOAD,
            )
            count += 1
        except ValidationFailed as error:
            messages.error(request, error.message)
    if count:
        messages.success(request, f"{count} document{'s' if count != 1 else ''} received.")
    return redirect("inbox:list")


@role_required(Role.INTAKE)
@require_POST
def claim_next(request: HttpRequest) -> HttpResponse:
    document = inbound_document_claim_next(actor=request.user)
    if document is None:
        messages.info(request, "Nothing is waiting for review.")
        return redirect("inbox:list")
    return redirect("inbox:review", pk=document.pk)


def _act(request: HttpRequest, pk, service) -> InboundDocument | None:
    """Run a claim service on the item; None (with the reason as a message) if it refused."""
    document = get_document(request, pk)
    try:
        service(document=document, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return None
    return document


@role_required(Role.INTAKE)
@require_POST
def claim(request: HttpRequest, pk) -> HttpResponse:
    document = _act(request, pk, inbound_document_claim)
    return redirect("inbox:review", pk=pk) if document else redirect("inbox:list")


@role_required(Role.INTAKE)
@require_POST
def release(request: HttpRequest, pk) -> HttpResponse:
    _act(request, pk, release_service)
    return redirect("inbox:list")


@role_required(Role.INTAKE)
def page_image(request: HttpRequest, pk, number: int) -> HttpResponse:
    document = get_document(request, pk)
    page = InboundPage.objects.filter(document=document, number=number).first()
    if page is None or not page.image:
        raise Http404
    return case_file_response(
        user=request.user,
        case_id=document.pk,
        stored_file=page.image,
        filename=f"page-{number}.png",
        content_type="image/png",
        action="inbox_page",
        object_id=str(page.pk),
    )
