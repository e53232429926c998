"""The guided submission: member -> services and diagnoses -> documents -> review -> submit.

From step 2 on the request is a draft (a CareRequest in status `draft`), so a provider can leave
and come back; the member found in step 1 is kept in the session until the draft exists.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from intake.apis.inputs import coverage_lookup, providers_for_user
from intake.models import CareRequestStatus, Coverage
from intake.services.documents import document_upload, upload_bytes
from intake.services.receipt import care_request_submit
from intake.services.transitions import unmet_conditions
from um_portal.audit.services import Channel, audit_access
from um_portal.lib.errors import DomainError
from um_portal.lib.http import add_field_errors

from ..forms import DocumentUploadForm, MemberLookupForm, RequestDetailsForm
from ..services import portal_draft_create, portal_draft_update
from .common import get_case, provider_required

SESSION_KEY = "portal_member_coverage"
STEPS = ["Member", "Services and diagnoses", "Documents", "Review and submit"]


def _steps(current: int) -> list[dict]:
    return [{"n": i, "label": label, "current": i == current} for i, label in enumerate(STEPS, 1)]


@provider_required
def member_lookup(request):
    form = MemberLookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        coverage = coverage_lookup(
            member_id=form.cleaned_data["member_id"], birth_date=form.cleaned_data["birth_date"]
        )
        if coverage is None:
            form.add_error(None, "No member matches this member ID and date of birth.")
        else:
            request.session[SESSION_KEY] = str(coverage.pk)
            return redirect("portal:new_details")
    return render(request, "portal/submit_member.html", {"form": form, "steps": _steps(1)})


def _apply_errors(form, exc: DomainError) -> None:
    """Put a service's field errors on the form: its `lines[2].code` is the second *filled*
    row's code field, wherever that row is on the form."""
    rows = form.filled_rows() if hasattr(form, "cleaned_data") else []
    field_map = {"diagnoses": "diagnosis1"}
    for key in exc.field_errors:
        if key.startswith("lines["):
            index, _, part = key[len("lines[") :].partition("].")
            if index.isdigit() and 0 < int(index) <= len(rows):
                field_map[key] = f"line{rows[int(index) - 1]}_{part}"
    add_field_errors(form, exc.field_errors, field_map=field_map)
    if not exc.field_errors:
        form.add_error(None, exc.message)


def _details_args(form) -> dict:
    d = form.cleaned_data
    return {
        "requesting_provider": d["requesting_provider"],
        "servicing_provider": d["servicing_provider"],
        "lines": form.lines(),
        "diagnoses": form.diagnoses(),
        "priority": d["priority"],
        "request_type": d["request_type"],
        "claim_number": d["claim_number"].strip(),
        "review_setting": d["review_setting"],
        "clinical_summary": d["clinical_summary"],
    }


@provider_required
def new_details(request):
    coverage = (
        Coverage.objects.select_related("member", "plan")
        .filter(pk=request.session.get(SESSION_KEY))
        .first()
    )
    if coverage is None:
        return redirect("portal:new")
    providers = providers_for_user(request.user)
    form = RequestDetailsForm(request.POST or None, providers=providers)
    if request.method == "POST" and form.is_valid():
        try:
            draft = portal_draft_create(user=request.user, coverage=coverage, **_details_args(form))
        except DomainError as exc:
            _apply_errors(form, exc)
        else:
            request.session.pop(SESSION_KEY, None)
            messages.success(request, f"Draft {draft.reference} saved.")
            return redirect("portal:documents", care_request_id=draft.pk)
    context = {"form": form, "coverage": coverage, "steps": _steps(2)}
    return render(request, "portal/submit_details.html", context)


def _draft_or_redirect(request, care_request_id):
    case = get_case(request, care_request_id)
    if case.status != CareRequestStatus.DRAFT:
        messages.info(request, f"Request {case.reference} was already submitted.")
        return case, redirect("portal:case", care_request_id=case.pk)
    # Every draft page shows the member (name, birth date, diagnoses): a read to log.
    audit_access(user=request.user, case_id=case.pk, action="portal_draft", channel=Channel.PORTAL)
    return case, None


@provider_required
def edit_details(request, care_request_id):
    case, done = _draft_or_redirect(request, care_request_id)
    if done:
        return done
    providers = providers_for_user(request.user)
    form = RequestDetailsForm(
        request.POST or None, providers=providers, initial=RequestDetailsForm.initial_from(case)
    )
    if request.method == "POST" and form.is_valid():
        try:
            portal_draft_update(user=request.user, care_request=case, **_details_args(form))
        except DomainError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, "Draft updated.")
            return redirect("portal:documents", care_request_id=case.pk)
    context = {"form": form, "coverage": case.coverage, "case": case, "steps": _steps(2)}
    return render(request, "portal/submit_details.html", context)


@provider_required
def documents(request, care_request_id):
    case, done = _draft_or_redirect(request, care_request_id)
    if done:
        return done
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        # Each file is its own document: one refused file does not undo the others.
        uploaded = []
        for upload in form.cleaned_data["files"]:
            try:
                document_upload(
                    care_request=case,
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    name=upload.name,
                    data=upload_bytes(upload),
                    channel="portal",
                )
            except DomainError as exc:
                problems = [m for ms in exc.field_errors.values() for m in ms] or [exc.message]
                form.add_error("files", f"{upload.name}: {' '.join(problems)}")
            else:
                uploaded.append(upload.name)
        if uploaded:
            messages.success(request, f"Uploaded: {', '.join(uploaded)}.")
        if not form.errors:
            return redirect("portal:documents", care_request_id=case.pk)
    checklist = list(case.checklist_items.select_related("document"))
    missing = [item for item in checklist if item.is_missing]
    if not form.is_bound and missing:
        form.initial["kind"] = missing[0].document_kind
    context = {
        "case": case,
        "form": form,
        "checklist": checklist,
        "documents": case.documents.all(),
        "steps": _steps(3),
    }
    return render(request, "portal/submit_documents.html", context)


@provider_required
def review(request, care_request_id):
    case, done = _draft_or_redirect(request, care_request_id)
    if done:
        return done
    checklist = list(case.checklist_items.select_related("document"))
    context = {
        "case": case,
        "lines": case.service_lines.all(),
        "diagnoses": case.diagnoses.all(),
        "checklist": checklist,
        "missing": [item for item in checklist if item.is_missing],
        "problems": unmet_conditions(case, "submit"),
        "steps": _steps(4),
    }
    return render(request, "portal/submit_review.html", context)


@provider_required
@require_POST
def submit(request, care_request_id):
    case, done = _draft_or_redirect(request, care_request_id)
    if done:
        return done
    try:
        case = care_request_submit(care_request=case, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("portal:review", care_request_id=case.pk)
    # The rules engine runs inside the submit service and may have decided already.
    if case.status == CareRequestStatus.APPROVED:
        messages.success(request, f"Approved. Authorization number {case.auth_number}.")
    elif case.status == CareRequestStatus.CLOSED_NO_AUTH_REQUIRED:
        messages.success(request, "No prior authorization is required for these services.")
    else:
        messages.success(
            request, f"Request {case.reference} submitted. We will tell you when it is decided."
        )
    return redirect("portal:case", care_request_id=case.pk)
