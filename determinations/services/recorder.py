"""The determination of record for decisions made outside the director's screen: the rules
engine's approval, intake's "no authorization required" and a nurse's approval. Registered with
intake's decision hooks in DeterminationsConfig.ready(); runs inside the deciding transaction."""

from django.utils import timezone

from intake.models import ServiceLine
from intake.services.decision_hooks import DecisionNotice
from um_portal.audit.services import audit_event

from ..models import Determination, LineDecision
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
    determination = Determination.objects.create(
        care_request=case,
        kind=Determination.Kind.REOPENING if previous else Determination.Kind.INITIAL,
        previous=previous,
        outcome=OUTCOMES[notice.outcome],
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
    lines = list(case.service_lines.all())
    LineDecision.objects.bulk_create(
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
