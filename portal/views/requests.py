"""The provider's requests: list, case page, information responses, withdraw, downloads."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from appeals.selectors import appealable_lines, appeals_for_case
from determinations.selectors import decision_summary_for_provider, letter_list_for_user
from intake.apis import selectors
from intake.models import CareRequestStatus
from intake.services.workflow import care_request_withdraw
from um_portal.audit.services import Channel, audit_access, audit_access_many
from um_portal.lib.errors import DomainError, NotFound
from um_portal.lib.http import case_file_response
from um_portal.lib.paging import page_number, page_of
from um_portal.lib.timefmt import time_left_label

from ..forms import InfoResponseForm, WithdrawForm
from ..services import portal_information_response
from .common import get_case, next_step, provider_required

LIST_FILTERS = {
    "open": ["draft", "submitted", "pending_info", "nurse_review", "md_review"],
    "action": ["draft", "pending_info"],
    "decided": ["approved", "partially_approved", "denied", "closed_no_auth_required"],
}


@provider_required
def request_list(request):
    """The organisation's requests with status, time left and next step."""
    show = request.GET.get("show", "")
    search = request.GET.get("q", "").strip()[:60]
    filters = {"status": LIST_FILTERS[show]} if show in LIST_FILTERS else {}
    if search:
        filters["search"] = search
    qs = selectors.care_request_list_for_user(request.user, filters=filters).prefetch_related(
        "service_lines"
    )
    # No total: counting every granted request was the dearest query of the page (ADR 0004).
    page = page_of(qs, number=page_number(request.GET.get("page")), per_page=25)
    rows = [
        {
            "case": case,
            "time_left": time_left_label(case.due_at) if case.is_open and case.due_at else "",
            "next_step": next_step(case),
        }
        for case in page.rows
    ]
    audit_access_many(
        user=request.user,
        case_ids=[case.pk for case in page.rows],
        action="portal_list",
        channel=Channel.PORTAL,
    )
    context = {"rows": rows, "page": page, "show": show, "search": search}
    return render(request, "portal/request_list.html", context)


@provider_required
def case_detail(request, care_request_id):
    case = get_case(request, care_request_id)
    audit_access(user=request.user, case_id=case.pk, action="portal_view")
    information_requests = list(selectors.information_requests_for_case(case))
    decision = decision_summary_for_provider(case)
    context = {
        "case": case,
        "lines": case.service_lines.all(),
        "diagnoses": case.diagnoses.all(),
        "notes": selectors.case_notes_for_user(request.user, case),
        "documents": selectors.documents_for_case(case),
        "checklist": case.checklist_items.select_related("document"),
        "information_requests": information_requests,
        "letters": letter_list_for_user(request.user, case),
        "decision": decision,
        "timeline": selectors.status_timeline_for_case(case),
        "time_left": time_left_label(case.due_at) if case.is_open and case.due_at else "",
        "next_step": next_step(case, appeal_by=decision["appeal_by"] if decision else None),
        "info_form": InfoResponseForm(),
        "withdraw_form": WithdrawForm(),
        "can_answer": case.status == CareRequestStatus.PENDING_INFO,
        "can_withdraw": case.is_open,
        "appeals": appeals_for_case(case),
        "can_appeal": bool(case.decided_at) and bool(appealable_lines(case)),
    }
    return render(request, "portal/case_detail.html", context)


@provider_required
@require_POST
def information_response(request, care_request_id):
    case = get_case(request, care_request_id)
    form = InfoResponseForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            portal_information_response(
                user=request.user,
                care_request=case,
                response=form.cleaned_data["response"],
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except DomainError as exc:
            for field, errors in exc.field_errors.items():
                form.add_error(field if field in form.fields else None, errors)
            if not exc.field_errors:
                form.add_error(None, exc.message)
        else:
            messages.success(request, "Thank you: your answer was sent to the reviewer.")
            return redirect("portal:case", care_request_id=case.pk)
    messages.error(request, "Your answer was not sent: " + _errors(form))
    return redirect("portal:case", care_request_id=case.pk)


@provider_required
@require_POST
def withdraw(request, care_request_id):
    case = get_case(request, care_request_id)
    form = WithdrawForm(request.POST)
    form.is_valid()
    try:
        care_request_withdraw(
            care_request=case, actor=request.user, reason=form.cleaned_data.get("reason", "")
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Request {case.reference} was withdrawn.")
    return redirect("portal:case", care_request_id=case.pk)


@provider_required
def document_download(request, care_request_id, document_id):
    try:
        document = selectors.document_get_for_user(request.user, care_request_id, document_id)
    except NotFound as exc:
        raise Http404 from exc
    return case_file_response(
        user=request.user,
        case_id=document.care_request_id,
        stored_file=document.file,
        filename=document.original_name,
        content_type=document.content_type,
        action="download",
        object_id=str(document.pk),
        as_attachment=True,
    )


def _errors(form) -> str:
    return " ".join(str(m) for errors in form.errors.values() for m in errors)
