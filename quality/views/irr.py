"""The manager's IRR pages: audits, building one, an audit's progress, completing it, results
with CSV and PDF exports. A page naming sampled cases logs the read in the access log."""

import uuid
from datetime import timedelta

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role
from um_portal.audit.models import AccessLog
from um_portal.audit.services import audit_access_many
from um_portal.lib.errors import DomainError, NotFound

from ..forms import IrrAuditForm
from ..selectors.irr import (
    irr_audit_get,
    irr_audit_list,
    irr_items_with_answers,
    irr_reviewer_choices,
    irr_schedule,
)
from ..selectors.irr_results import irr_audit_results
from ..services.irr import irr_audit_complete, irr_audit_create

DUE_IN_DAYS = 30


def _audit(audit_id: uuid.UUID):
    try:
        return irr_audit_get(audit_id=audit_id)
    except NotFound as exc:
        raise Http404 from exc


def log_case_reads(request, items, action: str, channel=AccessLog.Channel.STAFF) -> None:
    """Naming a sampled case on a page (or in a file) is a read of it."""
    audit_access_many(
        user=request.user,
        case_ids=[i.care_request_id for i in items if i.care_request_id],
        action=action,
        channel=channel,
    )


@role_required(Role.MANAGER)
def irr_list(request):
    """IRR audits and the annual schedule. No case is named here: nothing to log."""
    context = {"tab": "irr", "audits": irr_audit_list(), "schedule": irr_schedule()}
    return render(request, "quality/irr_list.html", context)


@role_required(Role.MANAGER)
@require_http_methods(["GET", "POST"])
def irr_new(request):
    form = IrrAuditForm(
        request.POST or None,
        reviewers=irr_reviewer_choices(),
        initial={"due_date": timezone.localdate() + timedelta(days=DUE_IN_DAYS)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            audit = irr_audit_create(
                actor=request.user,
                name=data["name"],
                source=data["source"],
                size=data["size"],
                vignettes=data["vignettes"],
                reviewers=list(data["reviewers"]),
                due_date=data["due_date"],
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
            for name, errors in exc.field_errors.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        else:
            messages.success(request, "Audit built and assigned.")
            return redirect("quality:irr_detail", audit_id=audit.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "quality/irr_new.html", {"tab": "irr", "form": form}, status=status)


@role_required(Role.MANAGER)
def irr_detail(request, audit_id: uuid.UUID):
    """The audit's items and who has answered; no answer is shown until the results."""
    audit = _audit(audit_id)
    items = irr_items_with_answers(audit=audit)
    log_case_reads(request, items, "irr_audit")
    context = {"tab": "irr", "audit": audit, "items": items}
    return render(request, "quality/irr_detail.html", context)


@role_required(Role.MANAGER)
@require_POST
def irr_complete(request, audit_id: uuid.UUID):
    audit = _audit(audit_id)
    try:
        irr_audit_complete(actor=request.user, audit=audit)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("quality:irr_detail", audit_id=audit.pk)
    messages.success(request, "Audit completed; its results are final.")
    return redirect("quality:irr_results", audit_id=audit.pk)


@role_required(Role.MANAGER)
def irr_results(request, audit_id: uuid.UUID):
    audit = _audit(audit_id)
    results = irr_audit_results(audit=audit)
    log_case_reads(request, results.items, "irr_results")
    return render(request, "quality/irr_results.html", {"tab": "irr", "results": results})
