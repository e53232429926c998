"""The director's record of a peer-to-peer call and its decision: uphold, or change it."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from determinations.models import Determination, Letter, LineDecision
from intake.models import CareRequest, ServiceLine
from intake.services.authorization import service_lines_approve_as_requested
from intake.services.transitions import care_request_transition
from um_portal.accounts.models import User
from um_portal.accounts.roles import Role
from um_portal.audit.services import audit_event
from um_portal.lib.errors import InvalidTransition, NotPermitted, ValidationFailed
from um_portal.lib.tasks import enqueue_on_commit

from ..models import PeerToPeer

CALL_STATUSES = (
    PeerToPeer.Status.COMPLETED,
    PeerToPeer.Status.NO_SHOW,
    PeerToPeer.Status.CANCELLED,
)


@transaction.atomic
def peer_to_peer_record_outcome(
    *,
    p2p: PeerToPeer,
    director: User,
    call_status: str,
    attendees: str = "",
    started_at: datetime | None = None,
    ended_at: datetime | None = None,
    notes: str = "",
    decision: str = "",
    rationale: str = "",
) -> PeerToPeer:
    """Record how the call went and, for a held call, the decision.

    Only a physician holds the P2P and decides (42 CFR 422.566(d)): `changed` reopens the case
    (`reopen` transition) and issues a reopening determination approving the service as
    requested, with its own letters, in this same transaction.
    """
    if not director.has_role(Role.DIRECTOR):
        raise NotPermitted("Only a medical director records a peer-to-peer call.")
    locked = (
        PeerToPeer.objects.select_for_update(of=("self",))
        .select_related("care_request", "slot__director")
        .get(pk=p2p.pk)
    )
    if not locked.is_active:
        raise InvalidTransition(f"This peer-to-peer is already {locked.get_status_display()}.")
    errors: dict[str, list[str]] = {}
    if call_status not in CALL_STATUSES:
        errors["call_status"] = ["Choose what happened: completed, no-show or cancelled."]
    if call_status == PeerToPeer.Status.COMPLETED:
        if decision not in PeerToPeer.Outcome.values:
            errors["decision"] = ["Uphold the decision or change it."]
        if not (attendees or "").strip():
            errors["attendees"] = ["Who joined the call?"]
        if decision == PeerToPeer.Outcome.CHANGED and not (rationale or "").strip():
            errors["rationale"] = ["Explain the new decision in plain language."]
    elif decision:
        errors["decision"] = ["Only a held call has a decision."]
    if started_at and ended_at and ended_at < started_at:
        errors["ended_at"] = ["The call cannot end before it starts."]
    if errors:
        raise ValidationFailed("The call record has errors.", field_errors=errors)

    now = timezone.now()
    locked.status = call_status
    locked.attendees = (attendees or "").strip()[:300]
    locked.started_at = started_at
    locked.ended_at = ended_at
    locked.notes = (notes or "").strip()
    locked.outcome = decision if call_status == PeerToPeer.Status.COMPLETED else ""
    locked.recorded_by = director
    locked.recorded_at = now
    if call_status == PeerToPeer.Status.CANCELLED:
        locked.cancelled_at, locked.cancelled_by = now, director
        locked.sequence += 1  # the calendars of both sides learn of it (METHOD:CANCEL)
    case = locked.care_request
    if locked.outcome == PeerToPeer.Outcome.CHANGED:
        care_request_transition(
            care_request=case,
            name="reopen",
            actor=director,
            note="Reopened after a peer-to-peer discussion.",
        )
        locked.reopening_determination = _issue_reopening_decision(
            case=case, director=director, rationale=rationale.strip(), now=now
        )
    locked.save()
    audit_event(
        actor=director,
        action="p2p.call_recorded",
        case_id=case.pk,
        summary=_call_summary(locked),
        data={"p2p": str(locked.pk), "status": call_status, "outcome": locked.outcome},
    )
    if call_status == PeerToPeer.Status.CANCELLED:
        from ..tasks import p2p_send_invites

        enqueue_on_commit(p2p_send_invites, str(locked.pk))
    return locked


def _call_summary(p2p: PeerToPeer) -> str:
    if p2p.status == PeerToPeer.Status.COMPLETED:
        verdict = "decision upheld" if p2p.outcome == PeerToPeer.Outcome.UPHELD else "overturned"
        return f"Peer-to-peer held ({p2p.attendees}); {verdict}."
    return f"Peer-to-peer call recorded as {p2p.get_status_display().lower()}."


# --- the reopening decision ---------------------------------------------------------------------
# Isolated on purpose: the determinations app owns decisions and letters and is building
# `determinations.services.determination_issue(...)` in parallel. Until it lands, this writes the
# same rows against the determinations models directly. At merge, the lead replaces the body with
# a call to determinations' service (kind="reopening"), keeping this function's signature.


def _issue_reopening_decision(
    *, case: CareRequest, director: User, rationale: str, now: datetime
) -> Determination:
    """Approve every service line as requested in a reopening determination that supersedes the
    latest one, move the case (md_review → approved) and write one Letter row per recipient
    (rendered and delivered after commit by determinations' letter tasks)."""
    latest = (
        Determination.objects.select_for_update(of=("self",))
        .filter(care_request=case, superseded_by__isnull=True)
        .order_by("-decided_at")
        .first()
    )
    # The lines the denial decided go back to pending so they are approved as requested.
    ServiceLine.objects.filter(
        care_request=case,
        decision__in=[ServiceLine.Decision.DENIED, ServiceLine.Decision.MODIFIED],
    ).update(decision=ServiceLine.Decision.PENDING, approved_units=None)
    auth_number = service_lines_approve_as_requested(care_request=case)
    care_request_transition(
        care_request=case,
        name="approve",
        actor=director,
        note="Approved on reopening after a peer-to-peer discussion.",
    )
    determination = Determination.objects.create(
        care_request=case,
        kind=Determination.Kind.REOPENING,
        previous=latest,
        outcome=Determination.Outcome.APPROVED,
        source=Determination.Source.PHYSICIAN,
        decided_by=director,
        reviewer_name=director.get_full_name() or director.username,
        reviewer_credentials=director.credentials,
        decided_at=now,
        rationale=rationale,
        auth_number=auth_number,
    )
    LineDecision.objects.bulk_create(
        LineDecision(
            determination=determination,
            service_line=line,
            outcome=LineDecision.Outcome.APPROVED,
            approved_units=line.approved_units,
            approved_start=line.approved_start,
            approved_end=line.approved_end,
            rationale=rationale,
        )
        for line in case.service_lines.filter(decision=ServiceLine.Decision.APPROVED)
    )
    for recipient in (Letter.Recipient.PROVIDER, Letter.Recipient.MEMBER):
        Letter.objects.create(
            determination=determination, recipient=recipient, template=Letter.Template.APPROVAL
        )
    audit_event(
        actor=director,
        action="determination.reopened",
        case_id=case.pk,
        summary=f"Reopening determination: approved (authorization {auth_number}).",
        data={"determination": str(determination.pk), "previous": str(latest.pk) if latest else ""},
    )
    return determination
