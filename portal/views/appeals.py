"""The provider's "Appeal this decision" page on a decided case, and withdrawing an appeal."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from appeals.forms import AppealFilingForm
from appeals.models import Appeal
from appeals.selectors import appealable_lines
from appeals.services.closing import appeal_withdraw
from appeals.services.documents import appeal_file_with_documents
from intake.services.documents import upload_bytes
from um_portal.audit.services import audit_access
from um_portal.lib.errors import DomainError
from um_portal.lib.http import report_domain_error
from um_portal.lib.template_formats import when

from ..forms import WithdrawForm
from .common import get_case, provider_required


@provider_required
def appeal_new(request, care_request_id):
    case = get_case(request, care_request_id)
    lines = appealable_lines(case)
    if not lines:
        raise Http404("Nothing on this request can be appealed.")
    audit_access(user=request.user, case_id=case.pk, action="portal_view")
    status = 200
    form = AppealFilingForm(request.POST or None, request.FILES or None, lines=lines)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appeal = appeal_file_with_documents(
                care_request=case,
                actor=request.user,
                reason=data["reason"],
                expedited=data["expedited"],
                line_ids=data["lines"],
                channel=Appeal.Channel.PORTAL,
                files=[(f.name, upload_bytes(f)) for f in data["documents"]],
            )
        except DomainError as exc:
            status = report_domain_error(
                request, exc, form, field_map={"file": "documents", "care_request": "lines"}
            )
        else:
            messages.success(
                request,
                f"Appeal {appeal.reference} received; we will decide it by {when(appeal.due_at)}.",
            )
            return redirect("portal:case", care_request_id=case.pk)
    elif request.method == "POST":
        status = 400
    return render(request, "portal/appeal_new.html", {"case": case, "form": form}, status=status)


@provider_required
@require_POST
def appeal_withdraw_view(request, care_request_id, appeal_id):
    """The requester no longer asks for the appeal (42 CFR 422.582(f)); only while it is open.
    The case lookup is organisation-scoped, so another office's appeal is a 404."""
    case = get_case(request, care_request_id)
    appeal = get_object_or_404(Appeal, pk=appeal_id, care_request=case)
    form = WithdrawForm(request.POST)
    form.is_valid()
    try:
        appeal_withdraw(appeal=appeal, actor=request.user, note=form.cleaned_data.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Appeal {appeal.reference} was withdrawn.")
    return redirect("portal:case", care_request_id=case.pk)
