"""The physician's decision: one transaction writes the determination, its line decisions, the
service lines, the status transition, the audit event and the letter rows (DESIGN §7)."""

from django.db import transaction
from django.utils import timezone
from django_fsm import has_transition_perm

from intake.models import CareRequest, CareRequestStatus, ServiceLine
from intake.services.authorization import new_auth_number
from intake.services.decision_hooks import approval_refusal
from intake.services.transitions import care_request_transition
from um_portal.accounts.permissions import user_has_role
from um_portal.accounts.roles import Role
from um_portal.audit.services import audit_event
from um_portal.lib.errors import InvalidTransition, NotPermitted, ValidationFailed

from ..models import DenialReason, Determination, LineDecision
from .outbox import letters_create
from .validation import ADVERSE, LineDecisionInput, line_input_errors

LineOutcome = LineDecision.Outcome
TRANSITION_BY_OUTCOME = {
    Determination.Outcome.APPROVED: "approve",
    Determination.Outcome.PARTIALLY_APPROVED: "partially_approve",
    Determination.Outcome.DENIED: "deny",
}


def determination_outcome(line_outcomes: list[str]) -> str:
    """All lines approved as requested → approved; all denied → denied; else partially
    approved (a reduced line is a partial denial)."""
    if not line_outcomes:
        raise ValueError("A determination needs at least one line.")
    if all(o == LineOutcome.APPROVED for o in line_outcomes):
        return Determination.Outcome.APPROVED
    if all(o == LineOutcome.DENIED for o in line_outcomes):
        return Determination.Outcome.DENIED
    return Determination.Outcome.PARTIALLY_APPROVED


@transaction.atomic
def determination_issue(
    *,
    case: CareRequest,
    director,
    line_decisions: list[LineDecisionInput],
    kind: str = Determination.Kind.INITIAL,
    note: str = "",
) -> Determination:
    """Record a medical director's decision on every service line of a case in md_review.

    `kind="reopening"` after `determination_reopen` (e.g. a peer-to-peer overturn) links the new
    determination to the one it replaces. Raises NotPermitted (nothing written) unless `director`
    holds the medical-director role and may run the transition; ValidationFailed with field
    errors keyed `lines[<sequence>].<field>`; InvalidTransition when the case is not in
    director review.
    """
    # 42 CFR 422.566(d), NCQA UM 4: only a physician issues an adverse determination. The
    # transition's permission says so too; checking here first means a nurse's attempt writes
    # nothing at all, whatever the outcome would have been.
    if not user_has_role(director, Role.DIRECTOR):
        raise NotPermitted("Only a medical director can issue this determination.")
    locked = CareRequest.objects.select_for_update().select_related("member").get(pk=case.pk)
    if locked.status != CareRequestStatus.MD_REVIEW:
        raise InvalidTransition(
            f"The case is {locked.get_status_display().lower()}, not in medical director review."
        )
    if kind not in (Determination.Kind.INITIAL, Determination.Kind.REOPENING):
        raise ValidationFailed("Unknown determination kind.", field_errors={"kind": ["Invalid."]})
    previous = Determination.objects.filter(care_request=locked).order_by("-decided_at").first()
    if kind == Determination.Kind.REOPENING and previous is None:
        raise InvalidTransition("There is no earlier determination to reopen.")
    if kind == Determination.Kind.INITIAL and previous is not None:
        raise InvalidTransition("This case was decided before: issue a reopening determination.")

    lines = {line.pk: line for line in locked.service_lines.all()}
    held = []
    if kind == Determination.Kind.INITIAL:
        line_decisions = _with_nurse_approved_lines(line_decisions, lines)
        # Lines denied administratively earlier are decided: the director decides the others,
        # and this determination carries those with their own reason and provision.
        held = list(locked.administrative_line_denials.select_related("service_line"))
        _refuse_held_lines(line_decisions, held)
        lines = {
            pk: line for pk, line in lines.items() if pk not in {h.service_line_id for h in held}
        }
    _check_lines(line_decisions, lines)
    outcome = determination_outcome(
        [item.outcome for item in line_decisions] + [LineOutcome.DENIED for _ in held]
    )
    transition = TRANSITION_BY_OUTCOME[outcome]
    if not has_transition_perm(getattr(locked, transition), director):
        raise NotPermitted("Your role may not issue this determination.")

    approves_something = any(item.outcome != LineOutcome.DENIED for item in line_decisions)
    if approves_something and (refusal := approval_refusal(locked)):
        raise InvalidTransition(refusal)
    now = timezone.now()
    auth_number = (locked.auth_number or new_auth_number()) if approves_something else ""
    adverse = [item for item in line_decisions if item.outcome in ADVERSE]
    reasons = {item.reason_code for item in adverse} | {h.reason_code for h in held}
    determination = Determination.objects.create(
        care_request=locked,
        kind=kind,
        previous=previous if kind == Determination.Kind.REOPENING else None,
        outcome=outcome,
        source=Determination.Source.PHYSICIAN,
        decided_by=director,
        reviewer_name=director.get_full_name() or director.username,
        reviewer_credentials=director.credentials,
        decided_at=now,
        reason_code=next(iter(reasons)) if len(reasons) == 1 else "",
        rationale="\n\n".join(
            [item.rationale.strip() for item in adverse]
            + list(dict.fromkeys(h.rationale for h in held))
        ),
        # Every adverse line administrative: the letter says so (no clinical judgement).
        administrative=bool(held) and not adverse,
        criteria_cited=_criteria_cited(line_decisions),
        auth_number=auth_number,
    )
    labels = dict(DenialReason.objects.values_list("code", "label"))
    LineDecision.objects.bulk_create(
        [_line_decision(determination, item, labels) for item in line_decisions]
        + held_line_decisions(determination, held, labels)
    )
    for item in line_decisions:
        _apply_to_service_line(item)
    care_request_transition(care_request=locked, name=transition, actor=director, note=note)
    CareRequest.objects.filter(pk=locked.pk).update(
        decided_at=now, auth_number=auth_number or locked.auth_number
    )
    audit_event(
        actor=director,
        action="determination.issued",
        case_id=locked.pk,
        summary=f"{determination.get_kind_display()}: {determination.get_outcome_display()}.",
        data={
            "determination": str(determination.pk),
            "outcome": outcome,
            "lines": {str(i.service_line.pk): i.outcome for i in line_decisions},
        },
    )
    letters_create(determination)
    case.refresh_from_db()
    return determination


def nurse_approved_line_ids(lines) -> set:
    """Lines a nurse approved before referring the rest: approved before any determination.
    Approval is not adverse, so it stands; the physician decides the other lines."""
    return {line.pk for line in lines if line.decision == ServiceLine.Decision.APPROVED}


def _with_nurse_approved_lines(items: list[LineDecisionInput], lines: dict) -> list:
    approved = nurse_approved_line_ids(lines.values())
    errors = {}
    for item in items:
        if item.service_line.pk in approved and item.outcome != LineOutcome.APPROVED:
            sequence = lines[item.service_line.pk].sequence
            errors[f"lines[{sequence}].outcome"] = [
                "The nurse review approved this line; decide only the referred lines."
            ]
    if errors:
        raise ValidationFailed("A line approved by the nurse review stands.", field_errors=errors)
    given = {item.service_line.pk for item in items}
    return items + [
        LineDecisionInput(service_line=lines[pk], outcome=LineOutcome.APPROVED)
        for pk in sorted(approved - given, key=lambda pk: lines[pk].sequence)
    ]


def held_line_decisions(determination: Determination, held: list, labels: dict) -> list:
    """The LineDecision rows of lines denied administratively before `determination`."""
    return [
        LineDecision(
            determination=determination,
            service_line=h.service_line,
            outcome=LineDecision.Outcome.DENIED,
            reason_code=h.reason_code,
            reason_label=labels.get(h.reason_code, ""),
            rationale=h.rationale,
            plan_provision=h.plan_provision,
        )
        for h in held
    ]


def _refuse_held_lines(items: list[LineDecisionInput], held: list) -> None:
    held_ids = {h.service_line_id: h.service_line.sequence for h in held}
    errors = {
        f"lines[{held_ids[item.service_line.pk]}].outcome": [
            "This line was denied administratively; decide only the other lines."
        ]
        for item in items
        if item.service_line.pk in held_ids
    }
    if errors:
        raise ValidationFailed("A line denied administratively stands.", field_errors=errors)


def _check_lines(items: list[LineDecisionInput], lines: dict) -> None:
    errors: dict[str, list[str]] = {}
    seen = set()
    for item in items:
        if item.service_line.pk not in lines or item.service_line.pk in seen:
            raise ValidationFailed("Each service line of the case must be decided exactly once.")
        seen.add(item.service_line.pk)
    missing = [line for pk, line in lines.items() if pk not in seen]
    if missing:
        errors["lines"] = [
            "Decide every service line: " + ", ".join(str(m.sequence) for m in missing) + "."
        ]
    reasons = {r.code: r for r in DenialReason.objects.filter(is_active=True)}
    for item in items:
        # Compare against the locked copy: the requested units and dates are the limits.
        locked_line = lines[item.service_line.pk]
        checked = LineDecisionInput(**{**item.__dict__, "service_line": locked_line})
        for field, messages in line_input_errors(checked, reasons).items():
            errors[f"lines[{locked_line.sequence}].{field}"] = messages
    if errors:
        raise ValidationFailed("The decision has errors.", field_errors=errors)


def _criteria_cited(items: list[LineDecisionInput]) -> list[dict]:
    cited = {}
    for item in items:
        cs = item.criteria_set
        if cs is not None:
            cited[(cs.slug, cs.version)] = {"slug": cs.slug, "name": cs.name, "version": cs.version}
    return list(cited.values())


def _line_decision(
    determination: Determination, item: LineDecisionInput, labels: dict[str, str]
) -> LineDecision:
    line = item.service_line
    cs = item.criteria_set
    units, start, end = _approved(item)
    return LineDecision(
        determination=determination,
        service_line=line,
        outcome=item.outcome,
        approved_units=units,
        approved_start=start,
        approved_end=end,
        reason_code=item.reason_code if item.outcome in ADVERSE else "",
        reason_label=labels.get(item.reason_code, "") if item.outcome in ADVERSE else "",
        rationale=item.rationale.strip() if item.outcome in ADVERSE else "",
        criteria_set_slug=cs.slug if cs else "",
        criteria_set_name=cs.name if cs else "",
        criteria_set_version=cs.version if cs else None,
        **_criterion(item),
    )


def _criterion(item: LineDecisionInput) -> dict:
    """The cited criterion's words as they read today, kept with the decision."""
    criterion = item.criterion if item.outcome in ADVERSE and item.criteria_set else None
    if criterion is None:
        return {"criterion_sequence": None, "criterion_text": "", "criterion_plain": ""}
    return {
        "criterion_sequence": criterion.sequence,
        "criterion_text": criterion.text,
        "criterion_plain": criterion.plain_language or criterion.text,
    }


def _approved(item: LineDecisionInput):
    line = item.service_line
    if item.outcome == LineOutcome.APPROVED:
        return line.units, line.start_date, line.end_date
    if item.outcome == LineOutcome.MODIFIED:
        return item.approved_units, item.approved_start, item.approved_end
    return None, None, None


def _apply_to_service_line(item: LineDecisionInput) -> None:
    units, start, end = _approved(item)
    ServiceLine.objects.filter(pk=item.service_line.pk).update(
        decision=item.outcome, approved_units=units, approved_start=start, approved_end=end
    )
