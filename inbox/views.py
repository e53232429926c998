"""The intake inbox (HTML): the list with progress, upload, and the side-by-side review screen
where a person confirms what was read and presses "Create request"."""

import re
from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from intake.forms import CareRequestEntryForm, MemberLookupForm, ServiceLineFormSet
from intake.models import CareRequest, CareRequestStatus, Member, ServiceCategory
from intake.selectors import care_request_get_by_reference, coverage_list_for_member, member_find
from intake.services.documents import upload_bytes
from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role
from um_portal.audit.services import audit_access
from um_portal.lib.errors import DomainError, ValidationFailed
from um_portal.lib.http import add_field_errors, case_file_response, report_domain_error

from .forms import InboxUploadForm, page_filing_field
from .models import ExtractedField, InboundDocument, InboundPage
from .selectors import (
    extracted_fields,
    inbound_document_get_for_user,
    inbound_document_list_for_user,
    inbound_pages,
)
from .services.claim import inbound_document_claim, inbound_document_claim_next
from .services.claim import inbound_document_release as release_service
from .services.convert import PageFiling, inbound_document_attach, inbound_document_create_case
from .services.receive import inbound_document_receive

S = InboundDocument.Status
LINE_PREFIX = "lines"
LINE_ERROR_KEY = re.compile(r"^lines\[(\d+)\]\.(\w+)$")
# Which entry-form input each extracted field fills (the review screen highlights the field's
# region on the page when that input has focus).
FORM_INPUT = {
    "member_id": "member_number",
    "member_dob": "birth_date",
    "requesting_npi": "requesting_provider",
    "servicing_npi": "servicing_provider",
    "urgency": "priority",
    "setting": "review_setting",
    "clinical_reason": "clinical_summary",
}
LINE_INPUT = {"code": "code", "units": "units", "start": "start_date", "end": "end_date"}


def _get(request: HttpRequest, pk) -> InboundDocument:
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


@role_required(Role.INTAKE)
@require_POST
def claim(request: HttpRequest, pk) -> HttpResponse:
    document = _get(request, pk)
    try:
        inbound_document_claim(document=document, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("inbox:list")
    return redirect("inbox:review", pk=document.pk)


@role_required(Role.INTAKE)
@require_POST
def release(request: HttpRequest, pk) -> HttpResponse:
    document = _get(request, pk)
    try:
        release_service(document=document, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("inbox:list")


@role_required(Role.INTAKE)
def page_image(request: HttpRequest, pk, number: int) -> HttpResponse:
    document = _get(request, pk)
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


# --- the review screen --------------------------------------------------------------------------


def _values(fields: list[ExtractedField]) -> dict[str, ExtractedField]:
    return {f.name: f for f in fields}


def _iso(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _member_from_fields(user, by_name: dict[str, ExtractedField]) -> Member | None:
    dob = _iso(by_name["member_dob"].value) if "member_dob" in by_name else None
    if dob is None:
        return None
    if "member_id" in by_name:
        member = member_find(user=user, member_number=by_name["member_id"].value, birth_date=dob)
        if member is not None:
            return member
    name = by_name.get("member_name")
    parts = name.value.split() if name else []
    if len(parts) >= 2:
        return Member.objects.filter(
            first_name__iexact=parts[0], last_name__iexact=parts[-1], birth_date=dob
        ).first()
    return None


def guess_category(code: str) -> ServiceCategory | None:
    """A first guess the specialist confirms: imaging 7xxxx, therapy 97xxx, DME E-codes,
    surgery 1xxxx-6xxxx, drugs (J-codes) as office visits."""
    if code.startswith("97"):
        key = "therapy"
    elif code.startswith("7"):
        key = "imaging"
    elif code[:1] in "EKL":
        key = "dme"
    elif code[:1].isdigit() and code[:1] in "123456":
        key = "surgery"
    else:
        key = "office-visit"
    return ServiceCategory.objects.filter(code=key).first()


def _lookup_data(request: HttpRequest, by_name: dict[str, ExtractedField], member) -> dict:
    if "member_number" in request.GET:
        return {k: request.GET.get(k, "") for k in ("member_number", "birth_date")}
    if member is not None:
        coverage = coverage_list_for_member(member=member).first()
        return {
            "member_number": coverage.member_number,
            "birth_date": member.birth_date.isoformat(),
        }
    return {
        "member_number": by_name["member_id"].value if "member_id" in by_name else "",
        "birth_date": by_name["member_dob"].value if "member_dob" in by_name else "",
    }


def _initial(by_name: dict[str, ExtractedField]) -> tuple[dict, list[dict]]:
    def value(name: str) -> str:
        return by_name[name].value if name in by_name else ""

    form = {
        "channel": CareRequest.Channel.FAX,
        "priority": "expedited" if value("urgency") == "expedited" else "standard",
        "request_type": CareRequest.RequestType.PROSPECTIVE,
        "review_setting": value("setting") or "outpatient",
        "requesting_provider": value("requesting_npi"),
        "servicing_provider": value("servicing_npi"),
        "diagnoses": ", ".join(
            f.value for n, f in sorted(by_name.items()) if n.startswith("diagnosis_")
        ),
        "clinical_summary": value("clinical_reason"),
    }
    lines = []
    for i in range(1, 11):
        code = value(f"service_{i}_code")
        if not code:
            break
        lines.append(
            {
                "code_system": "hcpcs" if code[:1].isalpha() else "cpt",
                "code": code,
                "category": guess_category(code),
                "units": value(f"service_{i}_units") or 1,
                "start_date": _iso(value(f"service_{i}_start")),
                "end_date": _iso(value(f"service_{i}_end")),
            }
        )
    return form, lines


def _mark(field, extracted: ExtractedField | None) -> None:
    if extracted is None:
        return
    field.widget.attrs.update(
        {
            "data-field": extracted.name,
            "data-page": str(extracted.page),
            "data-bbox": ",".join(str(v) for v in extracted.bbox),
        }
    )
    if extracted.needs_confirmation:
        field.widget.attrs["class"] = "needs-confirmation"


def _annotate(form, lines, lookup, by_name: dict[str, ExtractedField]) -> None:
    for name, input_name in FORM_INPUT.items():
        for target in (form, lookup):
            if target is not None and input_name in target.fields:
                _mark(target.fields[input_name], by_name.get(name))
    if form is not None:
        first_diagnosis = by_name.get("diagnosis_1")
        _mark(form.fields["diagnoses"], first_diagnosis)
    if lines is not None:
        for i, line in enumerate(lines.forms, start=1):
            for suffix, input_name in LINE_INPUT.items():
                _mark(line.fields[input_name], by_name.get(f"service_{i}_{suffix}"))


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
    by_name = _values(fields)
    pages = inbound_pages(document=document)
    member = _member_from_fields(request.user, by_name)
    if lookup is None:
        lookup_data = _lookup_data(request, by_name, member)
        lookup = MemberLookupForm(lookup_data)
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
        form_initial, line_initial = _initial(by_name)
        coverages = coverage_list_for_member(member=member)
        form = CareRequestEntryForm(initial=form_initial, coverages=coverages)
        if coverages.count() == 1:
            form.initial["coverage"] = coverages.first().pk
        lines = ServiceLineFormSet(prefix=LINE_PREFIX, initial=line_initial)
    _annotate(form, lines, lookup, by_name)
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
    document = _get(request, pk)
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
    document = _get(request, pk)
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
    data = form.cleaned_data
    line_forms = [f for f in lines.forms if f.cleaned_data]
    try:
        care_request = inbound_document_create_case(
            document=document,
            actor=request.user,
            filings=_filings(request, document),
            coverage=data["coverage"],
            requesting_provider=data["requesting_provider"],
            servicing_provider=data["servicing_provider"],
            lines=[_line_input(f.cleaned_data) for f in line_forms],
            diagnoses=data["diagnoses"],
            channel=CareRequest.Channel.FAX,
            priority=data["priority"],
            request_type=data["request_type"],
            review_setting=data["review_setting"],
            clinical_summary=data["clinical_summary"],
        )
    except DomainError as error:
        _place_errors(form, line_forms, error)
        return again(report_domain_error(request, error))
    messages.success(request, f"Request {care_request.reference} created from the fax.")
    return redirect("intake:case", pk=care_request.pk)


@role_required(Role.INTAKE)
@require_POST
def attach(request: HttpRequest, pk) -> HttpResponse:
    """File the fax on the pending case whose reference its cover page carries."""
    document = _get(request, pk)
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


def _line_input(cleaned: dict):
    from intake.services.receipt import ServiceLineInput

    return ServiceLineInput(
        code_system=cleaned["code_system"],
        code=cleaned["code"],
        category=cleaned["category"],
        units=cleaned["units"],
        start_date=cleaned["start_date"],
        end_date=cleaned["end_date"],
        place_of_service=cleaned.get("place_of_service", ""),
        modifiers=cleaned.get("modifiers", ""),
    )


def _place_errors(form, line_forms, error: DomainError) -> None:
    rest = {}
    for key, messages_ in error.field_errors.items():
        match = LINE_ERROR_KEY.match(key)
        if match and 1 <= int(match[1]) <= len(line_forms):
            line_form = line_forms[int(match[1]) - 1]
            field = match[2] if match[2] in line_form.fields else None
            for message in messages_:
                line_form.add_error(field, message)
        else:
            rest[key] = messages_
    add_field_errors(form, rest)
