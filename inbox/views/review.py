"""The side-by-side review screen: the page images beside intake's own entry form, filled from
the fax; nothing becomes a case until a person confirms the marked fields and presses "Create
request" (or files the fax on the pending case it answers)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from intake.forms import (
    CareRequestEntryForm,
    MemberLookupForm,
    ServiceLineFormSet,
    entry_request_arguments,
    place_entry_errors,
)
from intake.models import CareRequest, CareRequestStatus
from intake.selectors import care_request_get_by_reference, coverage_list_for_member, member_find
from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role
from um_portal.audit.services import audit_access
from um_portal.lib.errors import DomainError
from um_portal.lib.http import report_domain_error

from ..forms import page_filing_field
from ..models import ExtractedField, InboundDocument, InboundPage
from ..selectors import extracted_fields, inbound_pages
from ..services.convert import PageFiling, inbound_document_attach, inbound_document_create_case
from .inbox import get_document
from .prefill import (
    LINE_PREFIX,
    annotate,
    initial_values,
    lookup_data,
    member_from_fields,
    values_by_name,
)

S = InboundDocument.Status


def _filings_form_fields(pages: list[InboundPage], data=None) -> list[dict]:
    rows = []
    for page in pages:
        if page.kind == InboundPage.Kind.REQUEST_FORM:
            continue
        field = page_filing_field(page.suggested_document_kind)
        name = f"page_{page.number}_kind"
        value = data.get(name, "") if data is not None else page.suggested_document_kind
        rows.append({"page": page, "name": name, "field": field, "value": value})
    return rows


def _context(request, document, *, lookup=None, form=None, lines=None, data=None) -> dict:
    fields = extracted_fields(document=document)
    by_name = values_by_name(fields)
    pages = inbound_pages(document=document)
    member = member_from_fields(request.user, by_name)
    if lookup is None:
        initial_lookup = lookup_data(request, by_name, member)
        # Nothing read (a fax typed in by hand): an empty form, not one full of "required".
        lookup = MemberLookupForm(initial_lookup if any(initial_lookup.values()) else None)
        if lookup.is_valid():
            member = member_find(
                user=request.user,
                member_number=lookup.cleaned_data["member_number"],
                birth_date=lookup.cleaned_data["birth_date"],
            )
            if member is None:
                lookup.add_error(None, "No member has this member ID and date of birth.")
        else:
            member = None
    elif lookup.is_valid():
        member = member_find(
            user=request.user,
            member_number=lookup.cleaned_data["member_number"],
            birth_date=lookup.cleaned_data["birth_date"],
        )
    if member is not None and form is None:
        form_initial, line_initial = initial_values(by_name)
        coverages = coverage_list_for_member(member=member)
        form = CareRequestEntryForm(initial=form_initial, coverages=coverages)
        if coverages.count() == 1:
            form.initial["coverage"] = coverages.first().pk
        lines = ServiceLineFormSet(prefix=LINE_PREFIX, initial=line_initial)
    annotate(form, lines, lookup, by_name)
    pending = None
    if document.answers_reference:
        case = care_request_get_by_reference(
            user=request.user, reference=document.answers_reference
        )
        if case is not None and case.status == CareRequestStatus.PENDING_INFO:
            pending = case
    return {
        "document": document,
        "pages": pages,
        "fields": fields,
        "flagged": [f for f in fields if f.needs_confirmation],
        "confirmed": set(data.getlist("confirm")) if data is not None else set(),
        "member": member,
        "lookup": lookup,
        "form": form,
        "lines": lines,
        "filings": _filings_form_fields(pages, data),
        "pending_case": pending,
        "mine": document.status == S.CLAIMED and document.claimed_by_id == request.user.pk,
    }


@role_required(Role.INTAKE)
def review(request: HttpRequest, pk) -> HttpResponse:
    """The page images beside intake's entry form, filled from what was read."""
    document = get_document(request, pk)
    audit_access(user=request.user, case_id=document.pk, action="inbox_view")
    return render(request, "inbox/review.html", _context(request, document))


def _filings(request, document) -> list[PageFiling]:
    out = []
    for page in inbound_pages(document=document):
        kind = request.POST.get(f"page_{page.number}_kind", "")
        if page.kind != InboundPage.Kind.REQUEST_FORM and kind:
            out.append(PageFiling(page=page, kind=kind))
    return out


def _unconfirmed(request, document) -> list[ExtractedField]:
    confirmed = set(request.POST.getlist("confirm"))
    return [
        f
        for f in extracted_fields(document=document)
        if f.needs_confirmation and f.name not in confirmed
    ]


@role_required(Role.INTAKE)
@require_POST
def create_case(request: HttpRequest, pk) -> HttpResponse:
    """ "Create request": intake's care_request_create with the confirmed values."""
    document = get_document(request, pk)
    lookup = MemberLookupForm(request.POST)
    member = None
    if lookup.is_valid():
        member = member_find(
            user=request.user,
            member_number=lookup.cleaned_data["member_number"],
            birth_date=lookup.cleaned_data["birth_date"],
        )
    if member is None:
        messages.error(request, "Find the member first: no member has this ID and birth date.")
        context = _context(request, document, lookup=lookup, data=request.POST)
        return render(request, "inbox/review.html", context, status=400)
    form = CareRequestEntryForm(request.POST, coverages=coverage_list_for_member(member=member))
    lines = ServiceLineFormSet(request.POST, prefix=LINE_PREFIX)
    unconfirmed = _unconfirmed(request, document)

    def again(status: int) -> HttpResponse:
        context = _context(
            request, document, lookup=lookup, form=form, lines=lines, data=request.POST
        )
        context["unconfirmed"] = {f.name for f in unconfirmed}
        return render(request, "inbox/review.html", context, status=status)

    if not (form.is_valid() and lines.is_valid()):
        messages.error(request, "The request was not created: correct the fields marked below.")
        return again(400)
    if unconfirmed:
        names = ", ".join(f.label for f in unconfirmed)
        messages.error(request, f"Confirm the marked fields against the fax first: {names}.")
        return again(400)
    line_forms = [f for f in lines.forms if f.cleaned_data]
    try:
        # The fax's own channel and arrival time, whatever the form carries: the receipt time
        # of a faxed request is when the fax came in.
        care_request = inbound_document_create_case(
            document=document,
            actor=request.user,
            filings=_filings(request, document),
            channel=CareRequest.Channel.FAX,
            # The claim a retrospective request concerns; validated by care_request_create.
            claim_number=form.cleaned_data["claim_number"],
            **entry_request_arguments(form, line_forms),
        )
    except DomainError as error:
        place_entry_errors(form, line_forms, error)
        return again(report_domain_error(request, error))
    messages.success(request, f"Request {care_request.reference} created from the fax.")
    return redirect("intake:case", pk=care_request.pk)


@role_required(Role.INTAKE)
@require_POST
def attach(request: HttpRequest, pk) -> HttpResponse:
    """File the fax on the pending case whose reference its cover page carries."""
    document = get_document(request, pk)
    case = care_request_get_by_reference(user=request.user, reference=document.answers_reference)
    if case is None:
        raise Http404
    try:
        inbound_document_attach(
            document=document,
            actor=request.user,
            care_request=case,
            filings=_filings(request, document),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("inbox:review", pk=document.pk)
    messages.success(request, f"The fax was filed on {case.reference} as its answer.")
    return redirect("intake:case", pk=case.pk)
