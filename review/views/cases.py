"""The 360° case view, its documents, and the small actions taken from it."""

import uuid

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from intake.rules.selectors import rules_panel_context
from intake.services.notes import case_note_add
from intake.services.workflow import care_request_mark_info_received, care_request_request_info
from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role
from um_portal.audit.services import audit_access
from um_portal.lib.errors import DomainError, NotFound
from um_portal.lib.http import case_file_response

from ..forms import NoteForm, ReasonForm, RequestInfoForm
from ..selectors.cases import case_view_for_reviewer, document_get_for_reviewer
from ..services.director import care_request_return_to_nurse
from ..services.nurse_review import care_request_nurse_request_info
from .common import form_errors_from, load_case, raise_for_access
from .offers import offers_for

CLINICAL = (Role.NURSE, Role.DIRECTOR)


def render_case(request, case, *, status: int = 200, **forms):
    """Render the case view; every render is an open of the case and goes to the access log."""
    audit_access(user=request.user, case_id=case.pk, action="view")
    context = {
        "view": case_view_for_reviewer(case=case),
        "case": case,
        "offers": offers_for(case, request.user),
        "note_form": forms.get("note_form") or NoteForm(),
        "request_info_form": forms.get("request_info_form") or RequestInfoForm.with_defaults(),
        "reason_form": forms.get("reason_form") or ReasonForm(),
        "failed_action": forms.get("failed_action", ""),
        "is_nurse": request.user.has_role(Role.NURSE),
        **rules_panel_context(case),
    }
    return render(request, "review/case.html", context, status=status)


@role_required(*CLINICAL)
@require_GET
def case_detail(request, case_id: uuid.UUID):
    return render_case(request, load_case(request, case_id))


@role_required(*CLINICAL)
@require_GET
def document_open(request, case_id: uuid.UUID, document_id: uuid.UUID):
    """Stream a case document inline, after the access check, into the access log. Case files
    are never served from a public media URL."""
    case = load_case(request, case_id)
    try:
        document = document_get_for_reviewer(case=case, document_id=document_id)
    except NotFound as exc:
        raise_for_access(exc)
    return case_file_response(
        user=request.user,
        case_id=case.pk,
        stored_file=document.file,
        filename=document.original_name,
        content_type=document.content_type,
        action="document",
        object_id=str(document.pk),
        from_outside=document.from_outside,
    )


def _act(request, case, form, run, *, success: str, failed_action: str, form_key: str):
    """Validate `form`, call `run(cleaned_data)` and go back to the case; on a domain error
    re-render the case with the message (400 for input, 409 for a stale state)."""
    if form.is_valid():
        try:
            with transaction.atomic():
                run(form.cleaned_data)
        except DomainError as exc:
            raise_for_access(exc)
            form_errors_from(form, exc)
            return render_case(
                request,
                case,
                status=exc.status_code,
                failed_action=failed_action,
                **{form_key: form},
            )
        messages.success(request, success)
        return redirect("review:case", case_id=case.pk)
    return render_case(request, case, status=400, failed_action=failed_action, **{form_key: form})


@role_required(*CLINICAL)
@require_POST
def note_add(request, case_id: uuid.UUID):
    case = load_case(request, case_id)
    form = NoteForm(request.POST)
    return _act(
        request,
        case,
        form,
        lambda data: case_note_add(
            care_request=case, author=request.user, body=data["body"], visibility=data["visibility"]
        ),
        success="Note added.",
        failed_action="note",
        form_key="note_form",
    )


@role_required(*CLINICAL)
@require_POST
def request_info(request, case_id: uuid.UUID):
    case = load_case(request, case_id)
    form = RequestInfoForm(request.POST)

    def run(data):
        if request.user.has_role(Role.NURSE) and case.status == "nurse_review":
            care_request_nurse_request_info(
                care_request=case,
                nurse=request.user,
                description=data["description"],
                due_by=data["due_by"],
            )
        else:
            care_request_request_info(
                care_request=case,
                actor=request.user,
                description=data["description"],
                due_by=data["due_by"],
            )

    return _act(
        request,
        case,
        form,
        run,
        success="Information requested; the case is pending and its clock keeps running.",
        failed_action="request_info",
        form_key="request_info_form",
    )


@role_required(*CLINICAL)
@require_POST
def info_received(request, case_id: uuid.UUID):
    case = load_case(request, case_id)
    return _act(
        request,
        case,
        ReasonForm({"note": request.POST.get("note") or "Information received."}),
        lambda data: care_request_mark_info_received(
            care_request=case, actor=request.user, response=data["note"]
        ),
        success="Information received; the case is back in review.",
        failed_action="info_received",
        form_key="reason_form",
    )


@role_required(Role.DIRECTOR)
@require_POST
def return_to_nurse(request, case_id: uuid.UUID):
    case = load_case(request, case_id)
    return _act(
        request,
        case,
        ReasonForm(request.POST),
        lambda data: care_request_return_to_nurse(
            care_request=case, actor=request.user, note=data["note"]
        ),
        success="Returned to nurse review.",
        failed_action="refer_back_to_nurse",
        form_key="reason_form",
    )
