"""The guided nurse review page: criteria answers per line, then approve, refer or pend.

A split view: the provider's clinical summary, the diagnoses and the documents (opened in a
frame on the page) beside the criteria. Each answer is saved as it is given (htmx posts the
form on every change and swaps the recommendation panel), so a clean case is approved with one
click once the last criterion is answered."""

import uuid

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from intake.models.care_request import CareRequestStatus as S
from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role
from um_portal.audit.services import audit_access
from um_portal.lib.errors import DomainError

from ..extensions import attested_answers
from ..forms import ApproveForm, ReferForm, RequestInfoForm
from ..models import CriterionAnswer
from ..selectors.nurse_review import (
    evaluate_case,
    nurse_review_latest,
    nurse_review_material,
    nurse_review_open_for,
)
from ..services.nurse_review import (
    AnswerInput,
    care_request_nurse_approve,
    care_request_refer_to_director,
    nurse_review_save_answers,
)
from .common import form_errors_from, load_case, raise_for_access


def _context(request, case, *, errors=None, **forms) -> dict:
    review = nurse_review_open_for(care_request=case, nurse=request.user)
    shown = review or nurse_review_latest(care_request=case)
    outcome = evaluate_case(care_request=case, review=shown)
    attested = attested_answers(case)
    sections = [
        {
            "outcome": o,
            # (criterion, the nurse's answer, the provider's attested answer or None)
            "criteria": [
                (c, o.answers.get(c.pk), attested.get(o.criteria_set.pk, {}).get(c.sequence))
                for c in o.criteria_set.criteria.all()
            ]
            if o.criteria_set
            else [],
            "attested": o.criteria_set is not None and o.criteria_set.pk in attested,
        }
        for o in outcome.lines
    ]
    return {
        "case": case,
        "review": shown,
        "outcome": outcome,
        "sections": sections,
        "editable": case.status == S.NURSE_REVIEW,
        "answer_choices": CriterionAnswer.Answer.choices,
        "errors": errors or {},
        "approve_form": forms.get("approve_form") or ApproveForm(),
        "refer_form": forms.get("refer_form") or ReferForm(),
        "request_info_form": forms.get("request_info_form") or RequestInfoForm.with_defaults(),
    }


def _render(request, case, *, status=200, errors=None, **forms):
    audit_access(user=request.user, case_id=case.pk, action="view")
    context = _context(request, case, errors=errors, **forms)
    context["material"] = nurse_review_material(care_request=case)
    return render(request, "review/nurse_review.html", context, status=status)


def _render_panel(request, case, *, status=200, errors=None):
    """The htmx answer to a saved criterion: the recommendation panel, and each line's state
    swapped out of band."""
    context = _context(request, case, errors=errors)
    context["oob"] = True
    return render(request, "review/includes/nurse_decision.html", context, status=status)


def _answers_from(post, case) -> tuple[list[AnswerInput], dict, list[str]]:
    """Read `a-<line>-<criterion>` (answer), `n-<line>-<criterion>` (note) and `j-<line>`
    (justification) fields. Malformed names are reported, never a 500."""
    answers, justifications, bad = [], {}, []
    for key, value in post.items():
        prefix, _, rest = key.partition("-")
        if prefix == "a" and value:
            line_part, _, criterion_part = rest.rpartition("-")
            try:
                line_id, criterion_id = uuid.UUID(line_part), int(criterion_part)
            except ValueError:
                bad.append(key)
                continue
            note = post.get(f"n-{rest}", "")
            answers.append(AnswerInput(line_id, criterion_id, value, note))
        elif prefix == "j":
            try:
                justifications[uuid.UUID(rest)] = value
            except ValueError:
                bad.append(key)
    return answers, justifications, bad


@role_required(Role.NURSE)
@require_http_methods(["GET", "POST"])
def nurse_review(request, case_id: uuid.UUID):
    case = load_case(request, case_id)
    if request.method == "GET":
        return _render(request, case)
    answers, justifications, bad = _answers_from(request.POST, case)
    respond = _render_panel if request.htmx else _render
    if bad:
        return respond(request, case, status=400, errors={"form": ["Unreadable answer fields."]})
    try:
        review = nurse_review_save_answers(
            care_request=case, nurse=request.user, answers=answers, justifications=justifications
        )
    except DomainError as exc:
        raise_for_access(exc)
        errors = {"form": [exc.message], **exc.field_errors}
        return respond(request, case, status=exc.status_code, errors=errors)
    if request.htmx:
        return _render_panel(request, case)
    recommendation = review.get_recommendation_display() or "answer every criterion first"
    messages.success(request, f"Answers saved. Recommendation: {recommendation}.")
    return redirect("review:nurse_review", case_id=case.pk)


@role_required(Role.NURSE)
@require_POST
def nurse_approve(request, case_id: uuid.UUID):
    case = load_case(request, case_id)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        return _render(request, case, status=400, approve_form=form)
    try:
        approved = care_request_nurse_approve(
            care_request=case, nurse=request.user, summary=form.cleaned_data["summary"]
        )
    except DomainError as exc:
        raise_for_access(exc)
        form_errors_from(form, exc)
        return _render(request, case, status=exc.status_code, approve_form=form)
    messages.success(request, f"Approved. Authorization number {approved.auth_number}.")
    return redirect("review:case", case_id=case.pk)


@role_required(Role.NURSE)
@require_POST
def refer(request, case_id: uuid.UUID):
    case = load_case(request, case_id)
    form = ReferForm(request.POST)
    if not form.is_valid():
        return _render(request, case, status=400, refer_form=form)
    try:
        care_request_refer_to_director(
            care_request=case,
            nurse=request.user,
            summary=form.cleaned_data["summary"],
            recommendation=form.cleaned_data["recommendation"],
            approve_met_lines=form.cleaned_data["approve_met_lines"],
        )
    except DomainError as exc:
        raise_for_access(exc)
        form_errors_from(form, exc)
        return _render(request, case, status=exc.status_code, refer_form=form)
    messages.success(request, f"{case.reference} referred to a medical director.")
    return redirect("review:dashboard")
