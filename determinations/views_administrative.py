"""The administrative decision page (benefit, eligibility, network denials) and the
out-of-network exception: asked by intake or the nurse, decided by a medical director."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from intake.models import ServiceLine
from intake.services.transitions import available_actions
from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role
from um_portal.audit.services import Channel, audit_access, audit_access_many
from um_portal.lib.errors import DomainError

from .forms import AdministrativeDenialForm, NetworkExceptionDecideForm, NetworkExceptionRequestForm
from .models import DenialReason, NetworkException
from .selectors import administrative_reasons_for, decision_case_get, network_exceptions_open
from .services.administrative import AdministrativeLine, determination_issue_administrative
from .services.network_exception import (
    network_exception_decide,
    network_exception_may_request,
    network_exception_request,
)

STAFF = (Role.INTAKE, Role.NURSE, Role.DIRECTOR)


def _page_url(case) -> str:
    return reverse("determinations:administrative", args=[case.pk])


def _case_url(case, user) -> str:
    if user.has_role(Role.NURSE, Role.DIRECTOR):
        return reverse("review:case", args=[case.pk])
    return reverse("intake:case", args=[case.pk])


def _page(request, case, *, forms=None, error="", status=200):
    forms = forms or {}
    user = request.user
    audit_access(user=user, case_id=case.pk, action="view")
    reasons = (
        administrative_reasons_for(case, user)
        if "deny_administratively" in available_actions(case, user)
        else []
    )
    exceptions = list(case.network_exceptions.select_related("requested_by", "decided_by"))
    open_exception = next(
        (e for e in exceptions if e.status == NetworkException.Status.REQUESTED), None
    )
    lines = list(case.service_lines.all())
    open_lines = [line for line in lines if line.decision == ServiceLine.Decision.PENDING]
    held = (
        list(case.administrative_line_denials.select_related("service_line"))
        if any(line.decision == ServiceLine.Decision.DENIED for line in lines)
        else []
    )
    if held:
        labels = dict(DenialReason.objects.values_list("code", "label"))
        for h in held:
            h.reason_label = labels.get(h.reason_code, "")
    provider = case.servicing_provider
    out_of_network = provider is not None and provider.network_status == provider.Network.OUT
    context = {
        "case": case,
        "case_url": _case_url(case, user),
        "lines": lines,
        "determination": next(iter(case.determinations.all()), None),
        "out_of_network": out_of_network,
        "denial_form": (
            forms.get("denial") or AdministrativeDenialForm(reasons=reasons, lines=open_lines)
        )
        if reasons and open_lines
        else None,
        "held": held,
        "exceptions": exceptions,
        "request_form": forms.get("request") or NetworkExceptionRequestForm(prefix="exception")
        if out_of_network and open_exception is None and network_exception_may_request(case, user)
        else None,
        "open_exception": open_exception,
        "decide_form": forms.get("decide") or NetworkExceptionDecideForm(prefix="decide")
        if open_exception and user.has_role(Role.DIRECTOR)
        else None,
        "error": error,
    }
    return render(request, "determinations/administrative.html", context, status=status)


def _attach(form, exc: DomainError, field_map: dict) -> None:
    for key, field_messages in exc.field_errors.items():
        field = field_map.get(key.partition(".")[2] or key, key.partition(".")[2] or key)
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


@role_required(*STAFF)
def administrative(request, case_id):
    """GET: the case's administrative options. POST: deny the chosen lines, each for the
    common reason or its own; the lines kept go on in review."""
    case = decision_case_get(case_id)
    if request.method != "POST":
        return _page(request, case)
    open_lines = [
        line for line in case.service_lines.all() if line.decision == ServiceLine.Decision.PENDING
    ]
    form = AdministrativeDenialForm(
        request.POST, reasons=administrative_reasons_for(case, request.user), lines=open_lines
    )
    if not form.is_valid():
        return _page(request, case, forms={"denial": form}, error="Check the form.", status=400)
    data = form.cleaned_data
    denied = form.denied_lines()
    try:
        determination = determination_issue_administrative(
            case=case,
            actor=request.user,
            lines=[
                AdministrativeLine(service_line=line, reason_code=reason, provision=provision)
                for line, reason, provision in denied
            ],
            rationale=data["rationale"],
            note=data["note"],
        )
    except DomainError as exc:
        _attach_lines(form, exc)
        return _page(
            request, case, forms={"denial": form}, error=exc.message, status=exc.status_code
        )
    if determination is None:
        messages.success(
            request,
            f"{len(denied)} line(s) denied administratively; the others go on in review. The "
            "letters name every service when the request is decided.",
        )
    else:
        messages.success(request, "Administrative denial recorded; the letters are being prepared.")
    return redirect(_page_url(case))


def _attach_lines(form, exc: DomainError) -> None:
    """Errors keyed `lines[<sequence>].<field>` show on the line's own field when it has a
    value, else on the common one."""
    for key, field_messages in exc.field_errors.items():
        head, _, field = key.partition(".")
        if head.startswith("lines[") and field:
            field = form.field_for(head[6:-1], field)
        else:
            field = field or head
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


@role_required(Role.INTAKE, Role.NURSE)
@require_POST
def network_exception_new(request, case_id):
    case = decision_case_get(case_id)
    form = NetworkExceptionRequestForm(request.POST, prefix="exception")
    if not form.is_valid():
        return _page(request, case, forms={"request": form}, error="Check the form.", status=400)
    try:
        network_exception_request(
            case=case,
            actor=request.user,
            basis=form.cleaned_data["basis"],
            reason=form.cleaned_data["reason"],
        )
    except DomainError as exc:
        _attach(form, exc, {})
        return _page(
            request, case, forms={"request": form}, error=exc.message, status=exc.status_code
        )
    messages.success(request, "Network exception requested; a medical director will decide it.")
    return redirect(_page_url(case))


@role_required(Role.DIRECTOR)
@require_POST
def network_exception_decide_view(request, exception_id):
    exception = get_object_or_404(NetworkException, pk=exception_id)
    case = decision_case_get(exception.care_request_id)
    form = NetworkExceptionDecideForm(request.POST, prefix="decide")
    if not form.is_valid():
        return _page(request, case, forms={"decide": form}, error="Check the form.", status=400)
    data = form.cleaned_data
    try:
        network_exception_decide(
            exception=exception,
            director=request.user,
            approve=data["decision"] == "approve",
            note=data["note"],
            provision=data["provision"],
        )
    except DomainError as exc:
        _attach(form, exc, {"rationale": "note"})
        return _page(
            request, case, forms={"decide": form}, error=exc.message, status=exc.status_code
        )
    messages.success(request, "Network exception decided.")
    return redirect(_page_url(case))


@role_required(Role.DIRECTOR)
@require_GET
def network_exceptions(request):
    """Out-of-network exceptions waiting for a medical director, oldest first."""
    rows = network_exceptions_open()
    audit_access_many(
        user=request.user,
        case_ids=[row.care_request_id for row in rows],
        action="network_exceptions",
        channel=Channel.STAFF,
    )
    return render(request, "determinations/network_exceptions.html", {"rows": rows})
