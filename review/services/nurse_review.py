"""The nurse's guided review and the three ways it ends: approve, refer, pend.

A nurse may approve; a nurse may never deny (42 CFR 422.566(d), NCQA UM 4: only a physician
issues an adverse determination). The state machine has no nurse path to `denied`, and these
services add the review rule on top: approval only when every line's current criteria are all
met. A line that no criteria set covers may be approved only with a written justification
(recorded on the review and quoted in the decision); otherwise it goes to a physician.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from intake.models import CareRequest, InformationRequest
from intake.models.care_request import CareRequestStatus as S
from intake.services.authorization import (
    service_lines_approve_as_requested,
    service_lines_approve_some,
)
from intake.services.decision_hooks import DecisionNotice, approval_refusal, notify_decision
from intake.services.transitions import care_request_transition
from intake.services.workflow import care_request_request_info
from um_portal.accounts.permissions import user_has_role
from um_portal.accounts.roles import Role
from um_portal.audit.services import audit_event
from um_portal.lib.errors import InvalidTransition, NotPermitted, ValidationFailed

from ..models import CriterionAnswer, LineJustification, NurseReview
from ..selectors.criteria import criteria_set_for_line_map
from ..selectors.nurse_review import (
    LINE_JUSTIFIED,
    LINE_MET,
    evaluate_case,
    nurse_review_open_for,
)
from .notifications import notification_referral_create

R = NurseReview.Recommendation


@dataclass(frozen=True)
class AnswerInput:
    service_line_id: uuid.UUID
    criterion_id: int
    answer: str
    note: str = ""


def _require_nurse_at_review(care_request: CareRequest, nurse) -> CareRequest:
    if not user_has_role(nurse, Role.NURSE):
        raise NotPermitted("Only a UM nurse can record a nurse review.")
    locked = CareRequest.objects.select_for_update().get(pk=care_request.pk)
    if locked.status != S.NURSE_REVIEW:
        raise InvalidTransition(
            f"The case is {locked.get_status_display().lower()}, not in nurse review."
        )
    return locked


def _open_review(care_request: CareRequest, nurse) -> NurseReview:
    review = nurse_review_open_for(care_request=care_request, nurse=nurse)
    if review is None:
        review = NurseReview.objects.create(care_request=care_request, nurse=nurse)
    return review


@transaction.atomic
def nurse_review_save_answers(
    *,
    care_request: CareRequest,
    nurse,
    answers: list[AnswerInput],
    justifications: dict | None = None,
) -> NurseReview:
    """Record criteria answers (met / not met / not documented, with notes) and justifications
    for lines without criteria; update the review's recommendation from them.

    Answers replace earlier answers to the same criterion. Raises ValidationFailed (nothing
    written) for an answer to a line or criterion that does not belong to this case's current
    criteria.
    """
    locked = _require_nurse_at_review(care_request, nurse)
    lines = {line.pk: line for line in locked.service_lines.all()}
    criteria_map = criteria_set_for_line_map(lines.values())
    errors: dict[str, list[str]] = {}
    rows = []
    for a in answers:
        key = f"{a.service_line_id}-{a.criterion_id}"
        criteria_set = criteria_map.get(a.service_line_id)
        criterion_ids = {c.pk for c in criteria_set.criteria.all()} if criteria_set else set()
        if a.service_line_id not in lines or a.criterion_id not in criterion_ids:
            errors.setdefault(key, []).append("This criterion does not apply to this case.")
            continue
        if a.answer not in CriterionAnswer.Answer.values:
            errors.setdefault(key, []).append("Choose met, not met or not documented.")
            continue
        rows.append((a, criteria_set))
    justifications = justifications or {}
    for line_id in justifications:
        if line_id not in lines or criteria_map.get(line_id) is not None:
            errors.setdefault(f"justification-{line_id}", []).append(
                "A justification is only for a line that no criteria set covers."
            )
    if errors:
        raise ValidationFailed("Some answers could not be saved.", field_errors=errors)
    review = _open_review(locked, nurse)
    for a, criteria_set in rows:
        CriterionAnswer.objects.update_or_create(
            nurse_review=review,
            service_line_id=a.service_line_id,
            criterion_id=a.criterion_id,
            defaults={
                "criteria_set": criteria_set,
                "answer": a.answer,
                "note": (a.note or "").strip(),
            },
        )
    for line_id, text in justifications.items():
        text = (text or "").strip()
        if text:
            LineJustification.objects.update_or_create(
                nurse_review=review, service_line_id=line_id, defaults={"text": text}
            )
        else:
            LineJustification.objects.filter(nurse_review=review, service_line_id=line_id).delete()
    review = nurse_review_open_for(care_request=locked, nurse=nurse)
    outcome = evaluate_case(care_request=locked, review=review)
    NurseReview.objects.filter(pk=review.pk).update(recommendation=outcome.recommendation)
    review.recommendation = outcome.recommendation
    audit_event(
        actor=nurse,
        action="nurse_review.answers_saved",
        case_id=locked.pk,
        summary=f"Criteria answers saved ({len(rows)}); recommendation: "
        f"{review.get_recommendation_display() or 'incomplete'}.",
    )
    return review


@transaction.atomic
def care_request_nurse_approve(
    *, care_request: CareRequest, nurse, summary: str = ""
) -> CareRequest:
    """Approve every line as requested (units and dates), issue the authorization number and move
    the case to `approved`; only when every line's criteria are all met (or, for a line without
    criteria, justified). The determination of record and the letters follow via notify_decision.
    """
    locked = _require_nurse_at_review(care_request, nurse)
    review = nurse_review_open_for(care_request=locked, nurse=nurse)
    outcome = evaluate_case(care_request=locked, review=review)
    if not outcome.can_approve:
        problems = " ".join(
            f"Line {o.line.sequence}: {o.label.lower()}."
            for o in outcome.lines
            if o.state not in (LINE_MET, LINE_JUSTIFIED)
        )
        message = f"A nurse can approve only when every criterion of every line is met. {problems}"
        raise ValidationFailed(message.strip(), field_errors={"criteria": [message.strip()]})
    if refusal := approval_refusal(locked):
        raise InvalidTransition(refusal)
    summary = (summary or "").strip()
    # Lines denied administratively (not a covered benefit, ...) stay denied; the nurse
    # approves the others, and the case is then partially approved.
    care_request_transition(
        care_request=locked,
        name="approve_remaining" if outcome.denied_lines else "approve",
        actor=nurse,
        note=summary or "Approved by nurse review: all criteria met.",
    )
    auth_number = service_lines_approve_as_requested(care_request=locked)
    NurseReview.objects.filter(pk=review.pk).update(
        recommendation=R.APPROVE, summary=summary or review.summary, completed_at=timezone.now()
    )
    explanation = summary
    for line, text in outcome.justifications:
        explanation += f"\nLine {line.sequence} ({line.code}), no criteria set: {text}"
    locked.refresh_from_db()
    notify_decision(
        DecisionNotice(
            care_request=locked,
            outcome="approved",
            source="nurse",
            actor=nurse,
            explanation=explanation.strip(),
            criteria_cited=outcome.criteria_cited,
        )
    )
    audit_event(
        actor=nurse,
        action="care_request.nurse_approved",
        case_id=locked.pk,
        summary=f"Approved by nurse review; authorization {auth_number}.",
        data={"criteria": outcome.criteria_cited},
    )
    care_request.refresh_from_db()
    return locked


@transaction.atomic
def care_request_refer_to_director(
    *,
    care_request: CareRequest,
    nurse,
    summary: str,
    recommendation: str,
    approve_met_lines: bool = False,
) -> CareRequest:
    """Send the case to medical director review with the nurse's summary and recommendation.
    Always open to the nurse at nurse review: doubt, an unmet criterion or a service without
    criteria all go to a physician. The assignment is released so routing can offer the case
    to a director.

    With `approve_met_lines`, the lines whose criteria are all met (or justified) are approved
    as requested first and only the others are referred. Approving is never adverse, so a nurse
    may do it; the lines left are decided by a physician, who alone may deny
    (42 CFR 422.566(d)). Raises ValidationFailed unless some lines are met and some are not.
    """
    locked = _require_nurse_at_review(care_request, nurse)
    summary, recommendation = (summary or "").strip(), (recommendation or "").strip()
    errors = {}
    if not summary:
        errors["summary"] = ["Summarise the clinical picture for the director."]
    if not recommendation:
        errors["recommendation"] = ["Say what you recommend and why."]
    approved_lines = []
    if approve_met_lines:
        outcome = evaluate_case(
            care_request=locked, review=nurse_review_open_for(care_request=locked, nurse=nurse)
        )
        approved_lines = [o for o in outcome.lines if o.state in (LINE_MET, LINE_JUSTIFIED)]
        if not approved_lines or len(approved_lines) == len(outcome.lines):
            errors["approve_met_lines"] = [
                "Approve some lines and refer the others only when some lines meet their "
                "criteria and others do not."
            ]
    if errors:
        raise ValidationFailed(
            "The referral needs a summary and a recommendation.", field_errors=errors
        )
    if approved_lines and (refusal := approval_refusal(locked)):
        raise InvalidTransition(refusal)
    review = _open_review(locked, nurse)
    note = summary
    if approved_lines:
        service_lines_approve_some(
            care_request=locked, line_ids=[o.line.pk for o in approved_lines]
        )
        approved_text = ", ".join(str(o.line.sequence) for o in approved_lines)
        note = f"Lines {approved_text} approved by nurse review (criteria met). {summary}"
        audit_event(
            actor=nurse,
            action="care_request.nurse_approved_lines",
            case_id=locked.pk,
            summary=f"Lines {approved_text} approved by nurse review; the rest referred.",
            data={
                "lines": [str(o.line.pk) for o in approved_lines],
                "criteria": [
                    {"slug": o.criteria_set.slug, "version": o.criteria_set.version}
                    for o in approved_lines
                    if o.criteria_set is not None
                ],
            },
        )
    care_request_transition(care_request=locked, name="refer_to_md", actor=nurse, note=note)
    NurseReview.objects.filter(pk=review.pk).update(
        summary=summary,
        referral_note=recommendation,
        recommendation=R.REFER,
        completed_at=timezone.now(),
    )
    CareRequest.objects.filter(pk=locked.pk).update(assigned_to=None, assigned_at=None)
    notification_referral_create(care_request=locked)
    audit_event(
        actor=nurse,
        action="care_request.referred_to_director",
        case_id=locked.pk,
        summary="Referred to a medical director by nurse review.",
    )
    care_request.refresh_from_db()
    locked.refresh_from_db()
    return locked


@transaction.atomic
def care_request_nurse_request_info(
    *, care_request: CareRequest, nurse, description: str, due_by: datetime
) -> InformationRequest:
    """Pend for information from the provider: what is needed and by when. The decision clock
    keeps running (CMS-0057-F): due_at is not touched. The nurse's review stays open with the
    recommendation "pend" and resumes when the answer arrives."""
    locked = _require_nurse_at_review(care_request, nurse)
    info = care_request_request_info(
        care_request=locked, actor=nurse, description=description, due_by=due_by
    )
    review = _open_review(locked, nurse)
    NurseReview.objects.filter(pk=review.pk).update(recommendation=R.PEND)
    care_request.refresh_from_db()
    return info
