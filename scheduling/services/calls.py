"""The director's record of a peer-to-peer call and its decision: uphold, or change it."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from determinations.models import Determination, LineDecision
from determinations.services.decide import determination_issue
from determinations.services.reopen import determination_reopen
from determinations.services.validation import LineDecisionInput
from intake.models import CareRequest
from intake.services.transitions import care_request_transition
from um_portal.accounts.models import User
from um_portal.accounts.roles import Role
from um_portal.audit.services import audit_event
from um_portal.lib.errors import InvalidTransition, NotPermitted, ValidationFailed
from um_portal.lib.tasks import enqueue_on_commit
from um_portal.lib.template_formats import span, when

from ..models import PeerToPeer, Slot
from ..selectors import call_tolerance

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
    now: datetime | None = None,
) -> PeerToPeer:
    """Record how the call went and, for a held call, the decision.

    A held call's times lie within its slot (give or take `call_tolerance`) and not in the
    future: a call recorded before it happens would mark its slot held while it is still ahead.

    Only a physician holds the P2P and decides (42 CFR 422.566(d)): `changed` reopens the case
    (`reopen` transition) and issues a reopening determination approving the service as
    requested, with its own letters, in this same transaction; `reconsider` only reopens it, for
    a decision line by line on the decision page (the call's notes are the reason).
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
        if decision == PeerToPeer.Outcome.RECONSIDER and not (notes or "").strip():
            errors["notes"] = ["Note what the call brought up: it is the reason for reopening."]
    elif decision:
        errors["decision"] = ["Only a held call has a decision."]
    now = now or timezone.now()
    if call_status == PeerToPeer.Status.COMPLETED:
        _merge(
            errors,
            call_time_errors(slot=locked.slot, started_at=started_at, ended_at=ended_at, now=now),
        )
    elif call_status == PeerToPeer.Status.NO_SHOW and locked.slot and locked.slot.starts_at > now:
        errors["call_status"] = [
            f"The call is booked for {when(locked.slot.starts_at)}: a no-show can be recorded "
            "once its time has come."
        ]
    if errors:
        raise ValidationFailed("The call record has errors.", field_errors=errors)

    held = call_status == PeerToPeer.Status.COMPLETED
    locked.status = call_status
    locked.attendees = (attendees or "").strip()[:300]
    # Only a held call has times; the form offers the booked ones, which mean nothing otherwise.
    locked.started_at = started_at if held else None
    locked.ended_at = ended_at if held else None
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
    elif locked.outcome == PeerToPeer.Outcome.RECONSIDER:
        # Back to director review; the director decides each line on the decision page, and
        # determination_issue makes it a reopening linked to the one it replaces.
        determination_reopen(
            case=case,
            director=director,
            reason=f"Reopened after a peer-to-peer discussion: {locked.notes}"[:500],
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
        verdict = {
            PeerToPeer.Outcome.UPHELD: "decision upheld",
            PeerToPeer.Outcome.CHANGED: "overturned",
            PeerToPeer.Outcome.RECONSIDER: "reopened for a new decision",
        }[p2p.outcome]
        return f"Peer-to-peer held ({p2p.attendees}); {verdict}."
    return f"Peer-to-peer call recorded as {p2p.get_status_display().lower()}."


def _merge(errors: dict[str, list[str]], more: dict[str, list[str]]) -> None:
    for field, messages in more.items():
        errors.setdefault(field, []).extend(messages)


def call_time_errors(
    *, slot: Slot | None, started_at: datetime | None, ended_at: datetime | None, now: datetime
) -> dict[str, list[str]]:
    """What is wrong with a held call's start and end: both given, in order, not in the future,
    and within the booked slot give or take `call_tolerance()`."""
    errors: dict[str, list[str]] = {}
    if started_at is None:
        errors["started_at"] = ["When did the call start?"]
    elif started_at > now:
        errors["started_at"] = [f"The call cannot start in the future (it is {when(now)})."]
    if ended_at is None:
        errors["ended_at"] = ["When did the call end?"]
    elif ended_at > now:
        errors["ended_at"] = [f"The call cannot end in the future (it is {when(now)})."]
    if errors:
        return errors
    if ended_at <= started_at:
        errors["ended_at"] = ["The call must end after it starts."]
    if slot is not None:
        margin = call_tolerance()
        booked = span(slot.starts_at, slot.ends_at)  # the plan's time zone, as the page shows
        minutes = int(margin.total_seconds() // 60)
        if not slot.starts_at - margin <= started_at < slot.ends_at:
            errors.setdefault("started_at", []).append(
                f"The call was booked for {booked}: it starts at most {minutes} minutes before "
                "that and before its end."
            )
        if not slot.starts_at < ended_at <= slot.ends_at + margin:
            errors.setdefault("ended_at", []).append(
                f"The call was booked for {booked}: it ends after its start and at most "
                f"{minutes} minutes after its end."
            )
    return errors


# --- the reopening decision ---------------------------------------------------------------------


def _issue_reopening_decision(
    *, case: CareRequest, director: User, rationale: str, now: datetime
) -> Determination:
    """Approve every service line as requested in a reopening determination that supersedes the
    latest one, through determinations' own service (its letters follow after commit)."""
    return determination_issue(
        case=case,
        director=director,
        kind=Determination.Kind.REOPENING,
        note=f"Approved on reopening after a peer-to-peer discussion. {rationale}".strip(),
        line_decisions=[
            LineDecisionInput(
                service_line=line,
                outcome=LineDecision.Outcome.APPROVED,
                approved_units=line.units,
                approved_start=line.start_date,
                approved_end=line.end_date,
            )
            for line in case.service_lines.order_by("sequence")
        ],
    )
