"""A reviewer's side of an IRR audit: their blind assignments, and the answer page that reuses
the nurse review screen's criterion partial. The page never shows the original reviewer's
answers or decision, nor the case's status, and writes nothing to the case."""

import uuid
from types import SimpleNamespace

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from review.models import CriterionAnswer
from review.selectors.cases import care_request_get_for_reviewer
from review.selectors.nurse_review import nurse_review_material
from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role
from um_portal.audit.models import AccessLog
from um_portal.audit.services import audit_access
from um_portal.lib.errors import DomainError, NotFound

from ..models import Decision, IrrAudit
from ..selectors.irr import irr_assignment_get_for_reviewer, irr_assignment_list_for_reviewer
from ..services.irr import irr_assignment_submit


@role_required(Role.NURSE, Role.DIRECTOR)
def irr_mine(request):
    """The reviewer's assignments in open audits (item numbers only, no case named)."""
    assignments = irr_assignment_list_for_reviewer(user=request.user)
    return render(request, "quality/irr_mine.html", {"assignments": assignments})


def _posted(post, criteria) -> tuple[dict, dict]:
    answers, notes = {}, {}
    for criterion in criteria:
        answers[criterion.pk] = post.get(f"a-{criterion.pk}", "")
        notes[criterion.pk] = post.get(f"n-{criterion.pk}", "")
    return answers, notes


@role_required(Role.NURSE, Role.DIRECTOR)
@require_http_methods(["GET", "POST"])
def irr_assignment(request, assignment_id: uuid.UUID):
    try:
        assignment = irr_assignment_get_for_reviewer(user=request.user, assignment_id=assignment_id)
    except NotFound as exc:
        raise Http404 from exc
    item = assignment.item
    criteria = list(item.criteria_set.criteria.all())
    errors, status = {}, 200
    given = {a.criterion_id: a for a in assignment.answers.all()}
    decision = assignment.decision
    if request.method == "POST":
        answers, notes = _posted(request.POST, criteria)
        decision = request.POST.get("decision", "")
        try:
            irr_assignment_submit(
                assignment=assignment,
                reviewer=request.user,
                answers=answers,
                notes=notes,
                decision=decision,
            )
        except DomainError as exc:
            if isinstance(exc, NotFound):
                raise Http404 from exc
            errors = {"form": [exc.message], **exc.field_errors}
            status = exc.status_code
            given = {pk: SimpleNamespace(answer=answers[pk], note=notes[pk]) for pk in answers}
        else:
            messages.success(request, "Audit answers saved. The real case was not changed.")
            return redirect("quality:irr_mine")
    case = material = None
    if item.care_request_id:
        # Read through review's own selector, as the review screens do; a PHI read, logged.
        case = care_request_get_for_reviewer(user=request.user, case_id=item.care_request_id)
        material = nurse_review_material(care_request=case)
        audit_access(
            user=request.user,
            case_id=case.pk,
            action="irr_audit_view",
            channel=AccessLog.Channel.STAFF,
        )
    context = {
        "assignment": assignment,
        "item": item,
        "case": case,
        "material": material,
        "criteria": [(c, given.get(c.pk)) for c in criteria],
        "answer_choices": CriterionAnswer.Answer.choices,
        "decision_choices": Decision.choices,
        "decision": decision,
        "editable": item.audit.status == IrrAudit.Status.OPEN,
        "errors": errors,
    }
    return render(request, "quality/irr_assignment.html", context, status=status)
