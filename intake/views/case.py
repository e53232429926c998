"""The intake case page and the work done on it besides transitions: eligibility, documents,
notes. Every open of the page and every download is recorded in the access log."""

from django import forms as django_forms
from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from intake.rules.selectors import rules_panel_context
from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role
from um_portal.audit.services import audit_access
from um_portal.lib.clock import clock_display
from um_portal.lib.errors import DomainError
from um_portal.lib.http import case_file_response, report_domain_error
from um_portal.lib.npi import is_valid_npi

from ..forms import CoverageVerifyForm, DocumentUploadForm, NoteForm, ProviderCorrectForm
from ..models import CareRequest, CareRequestStatus, Coverage
from ..selectors import INTAKE_READERS, care_request_get_for_intake, document_get_for_intake
from ..services.coverage import CoverageFacts, coverage_verify
from ..services.documents import document_upload, upload_bytes
from ..services.eligibility import eligibility_check_record
from ..services.notes import case_note_add
from ..services.providers import case_provider_correct
from ..services.transitions import available_actions, unmet_conditions
from .action_specs import ACTIONS


def get_case_or_404(request: HttpRequest, pk) -> CareRequest:
    case = care_request_get_for_intake(user=request.user, pk=pk)
    if case is None:
        raise Http404
    return case


def render_case(
    request: HttpRequest,
    case: CareRequest,
    *,
    forms: dict[str, django_forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The case page; `forms` carries bound forms with errors to show again."""
    forms = forms or {}
    audit_access(user=request.user, case_id=case.pk, action="view")
    allowed = set(available_actions(case, request.user))
    actions = [
        {
            "name": name,
            "spec": spec,
            "form": forms.get(name) or spec.form_class(prefix=name),
        }
        for name, spec in ACTIONS.items()
        if name in allowed
    ]
    is_intake = request.user.has_role(Role.INTAKE)
    triage_blockers = []
    if is_intake and case.status == CareRequestStatus.SUBMITTED and "triage" not in allowed:
        triage_blockers = unmet_conditions(case, "triage")
    checklist = list(case.checklist_items.all())
    context = {
        "case": case,
        "clock": clock_display(case.received_at, case.due_at, timezone.now()),
        "actions": actions,
        "triage_blockers": triage_blockers,
        # Benefit/eligibility/network denial: determinations' page (a link, not an intake form).
        "may_decide_administratively": "deny_administratively" in allowed,
        "checklist": checklist,
        "missing_documents": [item for item in checklist if item.is_missing],
        "can_work": is_intake,
        "upload_form": forms.get("upload") or DocumentUploadForm(),
        "note_form": forms.get("note") or NoteForm(),
        "provider_forms": _provider_forms(case, forms) if is_intake and case.is_open else [],
        "coverage_form": (
            forms.get("coverage") or CoverageVerifyForm.for_coverage(case.coverage)
            if is_intake and case.is_open and case.coverage.status == Coverage.Status.UNVERIFIED
            else None
        ),
        "max_upload_mb": settings.MAX_UPLOAD_BYTES // (1024 * 1024),
        **rules_panel_context(case),
    }
    return render(request, "intake/case.html", context, status=status)


def _provider_forms(case: CareRequest, forms: dict) -> list[dict]:
    """A correction form for each of the case's providers whose NPI fails the check digit."""
    out = []
    for role, provider in (
        ("requesting", case.requesting_provider),
        ("servicing", case.servicing_provider),
    ):
        if role == "servicing" and provider.pk == case.requesting_provider_id:
            continue
        if not is_valid_npi(provider.npi):
            form = forms.get(f"provider-{role}") or ProviderCorrectForm(prefix=f"provider-{role}")
            out.append({"role": role, "provider": provider, "form": form})
    return out


@role_required(*INTAKE_READERS)
@require_GET
def case_detail(request: HttpRequest, pk) -> HttpResponse:
    return render_case(request, get_case_or_404(request, pk))


@role_required(Role.INTAKE)
@require_POST
def eligibility_verify(request: HttpRequest, pk) -> HttpResponse:
    """Check and record eligibility and benefits now, as the signed-in user."""
    case = get_case_or_404(request, pk)
    check = eligibility_check_record(care_request=case, actor=request.user)
    if check.eligible:
        messages.success(request, "Eligibility verified. " + check.detail)
    else:
        messages.warning(request, "Not eligible. " + check.detail)
    return redirect("intake:case", pk=case.pk)


@role_required(Role.INTAKE)
@require_POST
def coverage_verify_view(request: HttpRequest, pk) -> HttpResponse:
    """Record that an unverified coverage (from a PAS submission) is the member's real one."""
    case = get_case_or_404(request, pk)
    form = CoverageVerifyForm(request.POST, prefix="coverage")
    status = 400
    if form.is_valid():
        try:
            check = coverage_verify(
                care_request=case, actor=request.user, facts=CoverageFacts(**form.cleaned_data)
            )
        except DomainError as error:
            status = report_domain_error(request, error, form)
        else:
            outcome = "Eligibility verified." if check.eligible else "Not eligible."
            messages.success(request, f"Coverage verified. {outcome} {check.detail}")
            return redirect("intake:case", pk=case.pk)
    case = get_case_or_404(request, pk)  # as it is now: nothing was written
    return render_case(request, case, forms={"coverage": form}, status=status)


@role_required(Role.INTAKE)
@require_POST
def provider_correct_view(request: HttpRequest, pk, role: str) -> HttpResponse:
    """Record the right NPI for a provider that came with a failing one."""
    case = get_case_or_404(request, pk)
    form = ProviderCorrectForm(request.POST, prefix=f"provider-{role}")
    status = 400
    if form.is_valid():
        try:
            provider = case_provider_correct(
                care_request=case, actor=request.user, role=role, **form.cleaned_data
            )
        except DomainError as error:
            status = report_domain_error(request, error, form)
        else:
            messages.success(request, f"{provider.name}: NPI {provider.npi} recorded.")
            return redirect("intake:case", pk=case.pk)
    case = get_case_or_404(request, pk)  # as it is now: nothing was written
    return render_case(request, case, forms={f"provider-{role}": form}, status=status)


@role_required(Role.INTAKE)
@require_POST
def document_add(request: HttpRequest, pk) -> HttpResponse:
    """Upload a document; the service sniffs its type, limits its size and ticks the checklist."""
    case = get_case_or_404(request, pk)
    form = DocumentUploadForm(request.POST, request.FILES)
    status = 400
    if form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload_bytes(upload)
        try:
            document = document_upload(
                care_request=case,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                name=upload.name,
                data=data,
                channel=case.channel,
            )
        except DomainError as error:
            status = report_domain_error(request, error, form)
        else:
            messages.success(request, f"{document.get_kind_display()} uploaded.")
            return redirect("intake:case", pk=case.pk)
    return render_case(request, case, forms={"upload": form}, status=status)


@role_required(*INTAKE_READERS)
@require_GET
def document_download(request: HttpRequest, pk, document_pk) -> FileResponse:
    """Stream a case document with its sniffed type; never a public media URL."""
    document = document_get_for_intake(
        user=request.user, care_request_pk=pk, document_pk=document_pk
    )
    if document is None:
        raise Http404
    return case_file_response(
        user=request.user,
        case_id=document.care_request_id,
        stored_file=document.file,
        filename=document.original_name,
        content_type=document.content_type,
        action="download",
        object_id=str(document.pk),
        from_outside=document.from_outside,
        as_attachment=request.GET.get("download") == "1",
    )


@role_required(Role.INTAKE)
@require_POST
def note_add(request: HttpRequest, pk) -> HttpResponse:
    case = get_case_or_404(request, pk)
    form = NoteForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            case_note_add(
                care_request=case,
                author=request.user,
                body=form.cleaned_data["body"],
                visibility=form.cleaned_data["visibility"],
            )
        except DomainError as error:
            status = report_domain_error(request, error, form)
        else:
            messages.success(request, "Note added.")
            return redirect("intake:case", pk=case.pk)
    return render_case(request, case, forms={"note": form}, status=status)
