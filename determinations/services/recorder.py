"""The determination of record for decisions made outside the director's screen: the rules
engine's approval, intake's "no authorization required" and a nurse's approval. Registered with
intake's decision hooks in DeterminationsConfig.ready(); runs inside the deciding transaction."""

from django.utils import timezone

from intake.models import ServiceLine
from intake.services.decision_hooks import DecisionNotice
from um_portal.audit.services import audit_event

from ..models import DenialReason, Determination, LineDecision
from .decide import held_line_decisions
from .outbox import letters_create

OUTCOMES = {
    "approved": Determination.Outcome.APPROVED,
    "not_required": Determination.Outcome.NOT_REQUIRED,
}
LINE_OUTCOME = {
    ServiceLine.Decision.APPROVED: LineDecision.Outcome.APPROVED,
    ServiceLine.Decision.MODIFIED: LineDecision.Outcome.MODIFIED,
    ServiceLine.Decision.DENIED: LineDecision.Outcome.DENIED,
    ServiceLine.Decision.NOT_REQUIRED: LineDecision.Outcome.NOT_REQUIRED,
}


def determination_record_notice(notice: DecisionNotice) -> Determination:
    """Write the Determination, LineDecisions mirroring the service lines, and the letters."""
    if notice.outcome not in OUTCOMES:
        # Adverse outcomes never arrive here: only determination_issue (a physician) makes them.
        raise ValueError(f"Unexpected outcome from {notice.source}: {notice.outcome}")
    case = notice.care_request
    case.refresh_from_db()
    actor = notice.actor
    previous = Determination.objects.filter(care_request=case).order_by("-decided_at").first()
    # Lines denied administratively while the others were reviewed: this approval finishes the
    # case, so it carries them (partially approved; the adverse part is not clinical).
    all_lines = list(case.service_lines.all())
    held = (
        list(case.administrative_line_denials.select_related("service_line"))
        if previous is None
        and notice.outcome == "approved"
        # Asked only when a line is denied: the approvals that have none pay no extra query.
        and any(line.decision == ServiceLine.Decision.DENIED for line in all_lines)
        else []
    )
    outcome = OUTCOMES[notice.outcome]
    if held and outcome == Determination.Outcome.APPROVED:
        outcome = Determination.Outcome.PARTIALLY_APPROVED
    determination = Determination.objects.create(
        care_request=case,
        kind=Determination.Kind.REOPENING if previous else Determination.Kind.INITIAL,
        previous=previous,
        outcome=outcome,
        administrative=bool(held),
        reason_code=held[0].reason_code if len({h.reason_code for h in held}) == 1 else "",
        source=notice.source,
        decided_by=actor,
        reviewer_name=(actor.get_full_name() or actor.username) if actor else "",
        reviewer_credentials=getattr(actor, "credentials", "") if actor else "",
        decided_at=case.decided_at or timezone.now(),
        rationale=notice.explanation,
        criteria_cited=list(notice.criteria_cited),
        rules_version=dict(notice.rules_version),
        auth_number=case.auth_number if notice.outcome == "approved" else "",
    )
    held_ids = {h.service_line_id for h in held}
    lines = [line for line in all_lines if line.pk not in held_ids]
    labels = dict(DenialReason.objects.values_list("code", "label")) if held else {}
    LineDecision.objects.bulk_create(
        [
            LineDecision(
                determination=determination,
                service_line=line,
                outcome=LINE_OUTCOME.get(line.decision)
                or (
                    LineDecision.Outcome.NOT_REQUIRED
                    if notice.outcome == "not_required"
                    else LineDecision.Outcome.APPROVED
                ),
                approved_units=line.approved_units,
                approved_start=line.approved_start,
                approved_end=line.approved_end,
            )
            for line in lines
        ]
        + held_line_decisions(determination, held, labels)
    )
    audit_event(
        actor=actor,
        action="determination.recorded",
        case_id=case.pk,
        summary=f"{determination.get_outcome_display()} ({determination.get_source_display()}).",
        data={"determination": str(determination.pk), "source": notice.source},
    )
    letters_create(determination)
    return determination
