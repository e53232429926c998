"""Preparing, assigning and deciding an appeal."""

from django.db import transaction
from django.utils import timezone

from determinations.models import Determination
from determinations.services import LineDecisionInput
from determinations.services.appeal import determination_issue_appeal
from determinations.services.decide import determination_outcome
from intake.models import Queue
from um_portal.accounts.permissions import user_has_role
from um_portal.accounts.roles import Role
from um_portal.audit.services import audit_event
from um_portal.lib.errors import NotPermitted, ValidationFailed

from ..models import (
    FORWARDABLE_STATUSES,
    Appeal,
    AppealLine,
    AppealStatus,
    is_medicare_advantage,
)
from ..permissions import decider_refusal
from .transitions import appeal_transition

TRANSITION_BY_OUTCOME = {
    Determination.Outcome.APPROVED: "overturn",
    Determination.Outcome.PARTIALLY_APPROVED: "partially_overturn",
    Determination.Outcome.DENIED: "uphold",
}
LINE_OUTCOME = {
    "approved": AppealLine.Outcome.OVERTURNED,
    "modified": AppealLine.Outcome.MODIFIED,
    "denied": AppealLine.Outcome.UPHELD,
}


def may_assign(user) -> bool:
    """A UM manager or the lead of any clinical queue assigns appeals."""
    return user_has_role(user, Role.MANAGER) or (
        user_has_role(user, Role.NURSE, Role.DIRECTOR)
        and Queue.objects.filter(lead=user, is_active=True).exists()
    )


@transaction.atomic
def appeal_assign(*, appeal: Appeal, by, to_user) -> Appeal:
    """Give an open appeal to an eligible physician. An ineligible one is refused with the
    reason (independence, specialty)."""
    if not may_assign(by):
        raise NotPermitted("Only a queue lead or a UM manager may assign appeals.")
    locked = Appeal.objects.select_for_update().select_related("care_request").get(pk=appeal.pk)
    if not locked.is_open:
        raise ValidationFailed("Only an open appeal can be assigned.")
    refusal = decider_refusal(locked, to_user)
    if refusal:
        raise ValidationFailed(refusal, field_errors={"assignee": [refusal]})
    Appeal.objects.filter(pk=locked.pk).update(assigned_to=to_user, assigned_at=timezone.now())
    audit_event(
        actor=by,
        action="appeal.assigned",
        case_id=locked.care_request_id,
        summary=f"Appeal {locked.reference} assigned to {to_user.display_name}.",
        data={"appeal": str(locked.pk), "assignee": str(to_user.pk)},
    )
    appeal.refresh_from_db()
    return appeal


@transaction.atomic
def appeal_prepare(*, appeal: Appeal, actor, summary: str) -> Appeal:
    """A nurse (or the physician) writes the case summary; starts the review if needed."""
    if not user_has_role(actor, Role.NURSE, Role.DIRECTOR):
        raise NotPermitted("Only clinical staff prepare an appeal's case file.")
    summary = (summary or "").strip()
    if not summary:
        raise ValidationFailed("Write the summary.", field_errors={"summary": ["Required."]})
    if appeal.status == AppealStatus.RECEIVED:
        appeal_transition(appeal=appeal, name="start_review", actor=actor)
    elif appeal.status != AppealStatus.IN_REVIEW:
        raise ValidationFailed("The appeal is no longer open.")
    Appeal.objects.filter(pk=appeal.pk).update(case_summary=summary)
    audit_event(
        actor=actor,
        action="appeal.prepared",
        case_id=appeal.care_request_id,
        summary=f"Case summary written for appeal {appeal.reference}.",
        data={"appeal": str(appeal.pk)},
    )
    appeal.refresh_from_db()
    return appeal


@transaction.atomic
def appeal_decide(
    *, appeal: Appeal, director, line_decisions: list[LineDecisionInput], note: str = ""
) -> Appeal:
    """A physician decides every appealed line: uphold (denied, with reason and criterion),
    overturn (approved) or approve modified. Writes the appeal determination (and its letters)
    through determinations, the transition and its event, the per-line outcomes; a Medicare
    Advantage appeal not fully overturned is queued for the IRE after commit.

    Independence is checked first (NotPermitted with the reason; nothing written), then again
    by the transition's permission."""
    locked = Appeal.objects.select_for_update().select_related("care_request").get(pk=appeal.pk)
    refusal = decider_refusal(locked, director)
    if refusal:
        raise NotPermitted(refusal)
    if locked.status == AppealStatus.RECEIVED:
        appeal_transition(appeal=locked, name="start_review", actor=director)
    if not line_decisions:
        raise ValidationFailed(
            "Decide each appealed service.", field_errors={"lines": ["Required."]}
        )
    appealed = {al.service_line_id: al for al in locked.lines.all()}
    outcome = determination_outcome([item.outcome for item in line_decisions])
    transition = TRANSITION_BY_OUTCOME[outcome]
    if locked.assigned_to_id is None:
        Appeal.objects.filter(pk=locked.pk).update(assigned_to=director, assigned_at=timezone.now())
        locked.assigned_to = director
    # The state machine's checks (state, permission, conditions) first; a later refusal (field
    # errors) rolls the whole decision back with this transaction.
    appeal_transition(appeal=locked, name=transition, actor=director, note=note)
    determination = determination_issue_appeal(
        case=locked.care_request,
        director=director,
        line_decisions=line_decisions,
        appeal_id=locked.pk,
        appealed_line_ids=set(appealed),
    )
    Appeal.objects.filter(pk=locked.pk).update(
        decided_at=determination.decided_at, decision=determination
    )
    for item in line_decisions:
        AppealLine.objects.filter(pk=appealed[item.service_line.pk].pk).update(
            outcome=LINE_OUTCOME[item.outcome]
        )
    audit_event(
        actor=director,
        action="appeal.decided",
        case_id=locked.care_request_id,
        summary=f"Appeal {locked.reference}: {transition.replace('_', ' ')}.",
        data={"appeal": str(locked.pk), "determination": str(determination.pk)},
    )
    locked.refresh_from_db()
    if locked.status in FORWARDABLE_STATUSES and is_medicare_advantage(locked):
        from ..tasks import appeal_forward_to_ire_task

        appeal_id = str(locked.pk)
        transaction.on_commit(lambda: appeal_forward_to_ire_task.delay(appeal_id), robust=True)
    appeal.refresh_from_db()
    return appeal
