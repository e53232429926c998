"""An appeal's decision of record: an `appeal`-kind determination on the appealed lines, linked
to the determination in force before it, written through the same checks and letter outbox as a
director's decision. The appeals app calls this (it is the higher app, ADR 0005); the care
request's status keeps the initial decision (the CMS-0057-F report counts initial decisions and,
separately, approvals after appeal), while the service lines and the authorization number carry
the decision now in force."""

import uuid

from django.db import transaction
from django.utils import timezone

from intake.models import CareRequest
from intake.services.authorization import new_auth_number
from um_portal.accounts.permissions import user_has_role
from um_portal.accounts.roles import Role
from um_portal.audit.services import audit_event
from um_portal.lib.errors import NotPermitted, ValidationFailed

from ..models import DenialReason, Determination, LineDecision
from .decide import (
    _apply_to_service_line,
    _criteria_cited,
    _line_decision,
    determination_outcome,
)
from .outbox import letters_create
from .validation import ADVERSE, LineDecisionInput, line_input_errors


@transaction.atomic
def determination_issue_appeal(
    *,
    case: CareRequest,
    director,
    line_decisions: list[LineDecisionInput],
    appeal_id: uuid.UUID,
    appealed_line_ids: set,
) -> Determination:
    """Record a physician's appeal decision on exactly the appealed lines and queue the appeal
    decision letters. An approved or modified line is authorized at once (the case's
    authorization number, or a new one). Raises NotPermitted or ValidationFailed (field errors
    `lines[<sequence>].<field>`); nothing is written then. Reviewer independence is the caller's
    rule (appeals.permissions), checked before this is called."""
    if not user_has_role(director, Role.DIRECTOR):
        raise NotPermitted("Only a medical director can decide an appeal.")
    locked = CareRequest.objects.select_for_update().get(pk=case.pk)
    decided = [item.service_line.pk for item in line_decisions]
    if sorted(map(str, decided)) != sorted(map(str, appealed_line_ids)):
        raise ValidationFailed(
            "Decide each appealed service exactly once.",
            field_errors={"lines": ["Decide each appealed service exactly once."]},
        )
    lines = {line.pk: line for line in locked.service_lines.filter(pk__in=appealed_line_ids)}
    reasons = {r.code: r for r in DenialReason.objects.filter(is_active=True)}
    errors: dict[str, list[str]] = {}
    for item in line_decisions:
        line = lines[item.service_line.pk]
        checked = LineDecisionInput(**{**item.__dict__, "service_line": line})
        for field, messages in line_input_errors(checked, reasons).items():
            errors[f"lines[{line.sequence}].{field}"] = messages
    if errors:
        raise ValidationFailed("The decision has errors.", field_errors=errors)

    now = timezone.now()
    outcome = determination_outcome([item.outcome for item in line_decisions])
    approves = any(item.outcome != LineDecision.Outcome.DENIED for item in line_decisions)
    auth_number = (locked.auth_number or new_auth_number()) if approves else ""
    adverse = [item for item in line_decisions if item.outcome in ADVERSE]
    previous = Determination.objects.filter(care_request=locked).order_by("-decided_at").first()
    determination = Determination.objects.create(
        care_request=locked,
        kind=Determination.Kind.APPEAL,
        previous=previous,
        outcome=outcome,
        source=Determination.Source.PHYSICIAN,
        decided_by=director,
        reviewer_name=director.get_full_name() or director.username,
        reviewer_credentials=director.credentials,
        decided_at=now,
        reason_code=adverse[0].reason_code if len({i.reason_code for i in adverse}) == 1 else "",
        rationale="\n\n".join(item.rationale.strip() for item in adverse),
        criteria_cited=_criteria_cited(line_decisions),
        auth_number=auth_number,
    )
    labels = dict(DenialReason.objects.values_list("code", "label"))
    LineDecision.objects.bulk_create(
        _line_decision(determination, item, labels) for item in line_decisions
    )
    for item in line_decisions:
        _apply_to_service_line(item)
    if auth_number and not locked.auth_number:
        CareRequest.objects.filter(pk=locked.pk).update(auth_number=auth_number)
    audit_event(
        actor=director,
        action="determination.issued",
        case_id=locked.pk,
        summary=f"Appeal: {determination.get_outcome_display()}.",
        data={
            "determination": str(determination.pk),
            "appeal": str(appeal_id),
            "outcome": outcome,
            "lines": {str(i.service_line.pk): i.outcome for i in line_decisions},
        },
    )
    letters_create(determination, appeal_id=appeal_id)
    return determination


def determination_effectuate_ire_overturn(
    *, case: CareRequest, actor, line_ids: list, appeal_id: uuid.UUID, ire_reference: str
) -> Determination:
    """The independent review entity reversed the plan: approve the lines as requested at once
    (42 CFR 422.618(b): authorize within 72 hours of the notice) as an appeal-kind determination
    of record. No plan letter: the IRE notifies the parties itself."""
    locked = CareRequest.objects.select_for_update().get(pk=case.pk)
    lines = list(locked.service_lines.filter(pk__in=line_ids))
    items = [LineDecisionInput(service_line=line, outcome="approved") for line in lines]
    auth_number = locked.auth_number or new_auth_number()
    previous = Determination.objects.filter(care_request=locked).order_by("-decided_at").first()
    determination = Determination.objects.create(
        care_request=locked,
        kind=Determination.Kind.APPEAL,
        previous=previous,
        outcome=Determination.Outcome.APPROVED,
        source=Determination.Source.INTAKE,
        decided_by=actor,
        reviewer_name="Independent review entity",
        decided_at=timezone.now(),
        rationale=f"Reversed by the independent review entity ({ire_reference}).",
        auth_number=auth_number,
    )
    # An IRE reversal approves: no denial reason, so no labels to look up.
    LineDecision.objects.bulk_create(_line_decision(determination, item, {}) for item in items)
    for item in items:
        _apply_to_service_line(item)
    if not locked.auth_number:
        CareRequest.objects.filter(pk=locked.pk).update(auth_number=auth_number)
    audit_event(
        actor=actor,
        action="determination.issued",
        case_id=locked.pk,
        summary="Independent review overturned the denial; services authorized.",
        data={"determination": str(determination.pk), "appeal": str(appeal_id)},
    )
    return determination
