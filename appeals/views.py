"""Staff pages: the appeals worklist, the appeal view and its actions, the decide page, and
intake's filing form for appeals that came by phone, fax or mail."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from determinations.forms import line_forms
from determinations.selectors import (
    criteria_sets_current,
    denial_reasons_active,
    nurse_review_latest,
    nurse_unmet_criteria,
)
from intake.models import CareRequest
from intake.services.documents import upload_bytes
from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role
from um_portal.audit.services import Channel, audit_access, audit_access_many
from um_portal.lib.errors import DomainError, NotFound
from um_portal.lib.http import case_file_response, report_domain_error

from . import forms as f
from .models import Appeal
from .selectors import appeal_deciders, appeal_get_for_user, appeal_worklist, appealable_lines
from .services import closing, decide, ire
from .services.documents import appeal_file_with_documents
from .services.filing import IntakeReceipt
from .services.transitions import available_actions

STAFF = (Role.INTAKE, Role.NURSE, Role.DIRECTOR, Role.MANAGER)


def _get(request, appeal_id) -> Appeal:
    try:
        return appeal_get_for_user(request.user, appeal_id)
    except NotFound as exc:
        raise Http404 from exc


@role_required(*STAFF)
def worklist(request):
    """Open appeals, most urgent first, with time left."""
    rows = appeal_worklist(request.user)
    # One access-log row per case on the list, in one INSERT (45 CFR 164.312(b)).
    audit_access_many(
        user=request.user,
        case_ids=[row["appeal"].care_request_id for row in rows],
        action="appeal_worklist",
        channel=Channel.STAFF,
    )
    return render(request, "appeals/worklist.html", {"rows": rows})


def _detail(request, appeal, *, forms=None, status=200):
    forms = forms or {}
    actions = available_actions(appeal, request.user)
    deciders = appeal_deciders(appeal) if appeal.is_open else []
    context = {
        "appeal": appeal,
        "case": appeal.care_request,
        "events": appeal.events.select_related("actor"),
        "actions": actions,
        "deciders": deciders,
        "may_assign": appeal.is_open and decide.may_assign(request.user),
        "may_decide": any(a in actions for a in decide.TRANSITION_BY_OUTCOME.values())
        or (appeal.status == "received" and request.user in deciders),
        "assign_form": forms.get("assign") or f.AssignForm(deciders=deciders),
        "summary_form": forms.get("summary")
        or f.SummaryForm(initial={"summary": appeal.case_summary}),
        "dismiss_form": forms.get("dismiss") or f.DismissForm(),
        "ire_form": forms.get("ire") or f.IreDecisionForm(),
    }
    return render(request, "appeals/detail.html", context, status=status)


@role_required(*STAFF)
def detail(request, appeal_id):
    appeal = _get(request, appeal_id)
    audit_access(user=request.user, case_id=appeal.care_request_id, action="appeal_view")
    return _detail(request, appeal)


def _action(request, appeal_id, form_class, key, run, success, form_kwargs=None):
    appeal = _get(request, appeal_id)
    form = form_class(request.POST, **(form_kwargs(appeal) if form_kwargs else {}))
    if form.is_valid():
        try:
            run(appeal, form.cleaned_data)
        except DomainError as exc:
            status = report_domain_error(request, exc, form)
            return _detail(request, appeal, forms={key: form}, status=status)
        messages.success(request, success)
        return redirect("appeals:detail", appeal_id=appeal.pk)
    return _detail(request, appeal, forms={key: form}, status=400)


@role_required(Role.NURSE, Role.DIRECTOR, Role.MANAGER)
@require_POST
def assign(request, appeal_id):
    User = get_user_model()
    return _action(
        request,
        appeal_id,
        f.AssignForm,
        "assign",
        lambda a, d: decide.appeal_assign(
            appeal=a, by=request.user, to_user=User.objects.get(pk=d["assignee"])
        ),
        "Appeal assigned.",
        form_kwargs=lambda a: {"deciders": appeal_deciders(a)},
    )


@role_required(Role.NURSE, Role.DIRECTOR)
@require_POST
def summary(request, appeal_id):
    return _action(
        request,
        appeal_id,
        f.SummaryForm,
        "summary",
        lambda a, d: decide.appeal_prepare(appeal=a, actor=request.user, summary=d["summary"]),
        "Case summary saved.",
    )


@role_required(Role.INTAKE, Role.DIRECTOR, Role.MANAGER)
@require_POST
def dismiss(request, appeal_id):
    return _action(
        request,
        appeal_id,
        f.DismissForm,
        "dismiss",
        lambda a, d: closing.appeal_dismiss(
            appeal=a, actor=request.user, reason=d["reason"], note=d["note"]
        ),
        "Appeal dismissed.",
    )


@role_required(Role.INTAKE, Role.MANAGER)
@require_POST
def ire_decision(request, appeal_id):
    return _action(
        request,
        appeal_id,
        f.IreDecisionForm,
        "ire",
        lambda a, d: ire.appeal_record_ire_decision(
            appeal=a,
            actor=request.user,
            overturned=d["outcome"] == "overturned",
            ire_reference=d["ire_reference"],
        ),
        "IRE decision recorded.",
    )


@role_required(*STAFF)
def case_file(request, appeal_id):
    appeal = _get(request, appeal_id)
    if not appeal.ire_case_file:
        raise Http404
    return case_file_response(
        user=request.user,
        case_id=appeal.care_request_id,
        stored_file=appeal.ire_case_file,
        filename=f"case-file-{appeal.reference}.pdf",
        content_type="application/pdf",
        action="download",
        object_id=str(appeal.pk),
    )


@role_required(Role.DIRECTOR)
def decide_page(request, appeal_id):
    """The physician's decision per appealed line: uphold (deny, with reason and criterion),
    overturn (approve) or approve modified."""
    appeal = _get(request, appeal_id)
    lines = [al.service_line for al in appeal.lines.all()]
    reasons, criteria = denial_reasons_active(), criteria_sets_current()
    posted = request.method == "POST"
    forms = line_forms(
        request.POST if posted else None,
        lines,
        reasons=reasons,
        criteria_sets=criteria,
        # What the first review's nurse found unmet: the likely criterion to uphold on.
        unmet=None if posted else nurse_unmet_criteria(nurse_review_latest(appeal.care_request)),
    )
    status, error = 200, ""
    if request.method == "POST":
        if all(form.is_valid() for form in forms):
            try:
                decide.appeal_decide(
                    appeal=appeal,
                    director=request.user,
                    line_decisions=[form.to_input() for form in forms],
                    note=request.POST.get("note", "").strip(),
                )
            except DomainError as exc:
                by_seq = {f"lines[{form.line.sequence}]": form for form in forms}
                for key, field_messages in exc.field_errors.items():
                    prefix, _, field = key.partition(".")
                    form = by_seq.get(prefix)
                    if form is not None and field in form.fields:
                        for message in field_messages:
                            form.add_error(field, message)
                status, error = exc.status_code, exc.message
            else:
                messages.success(request, "Appeal decided; the letters are being prepared.")
                return redirect("appeals:detail", appeal_id=appeal.pk)
        else:
            status, error = 400, "Check the highlighted fields."
    audit_access(user=request.user, case_id=appeal.care_request_id, action="appeal_view")
    context = {"appeal": appeal, "case": appeal.care_request, "line_forms": forms, "error": error}
    return render(request, "appeals/decide.html", context, status=status)


@role_required(Role.INTAKE)
def intake_find(request):
    """Intake finds the decided request an appeal that came by phone, fax or mail is about."""
    form = f.CaseReferenceForm(request.GET or None)
    if form.is_valid():
        case = CareRequest.objects.get(reference=form.cleaned_data["reference"])
        return redirect("appeals:intake_file", care_request_id=case.pk)
    return render(request, "appeals/intake_find.html", {"form": form})


@role_required(Role.INTAKE)
def intake_file(request, care_request_id):
    case = CareRequest.objects.filter(pk=care_request_id).first()
    if case is None:
        raise Http404
    lines = appealable_lines(case)
    form = f.IntakeAppealForm(request.POST or None, request.FILES or None, lines=lines)
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            appeal = appeal_file_with_documents(
                care_request=case,
                actor=request.user,
                reason=d["reason"],
                expedited=d["expedited"],
                line_ids=d["lines"],
                intake=IntakeReceipt(
                    channel=d["channel"],
                    requester=d["requester"],
                    received_at=d["received_at"],
                    backdate_reason=d["backdate_reason"],
                    late_good_cause=d["late_good_cause"],
                ),
                files=[(u.name, upload_bytes(u)) for u in d["documents"]],
            )
        except DomainError as exc:
            status = report_domain_error(request, exc, form, field_map={"file": "documents"})
        else:
            messages.success(request, f"Appeal {appeal.reference} recorded.")
            return redirect("appeals:detail", appeal_id=appeal.pk)
    elif request.method == "POST":
        status = 400
    audit_access(user=request.user, case_id=case.pk, action="view")
    context = {"case": case, "form": form, "nothing_to_appeal": not lines}
    return render(request, "appeals/intake_file.html", context, status=status)
