"""Booking, rescheduling and cancelling a peer-to-peer call.

A slot can never be booked twice, even by two people at the same instant, nor once its call has
been recorded: the booking locks the slot row and checks it is still free, the partial unique
constraint `slot_booked_once` backs that inside the database, and the loser's IntegrityError
becomes a clear "that slot was just taken" message.
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from intake.apis.selectors import care_request_scope_for_user
from intake.models import CareRequest
from intake.models.care_request import is_case_provider
from um_portal.accounts.models import User
from um_portal.audit.services import audit_event
from um_portal.lib.errors import DomainError, InvalidTransition, NotPermitted, ValidationFailed
from um_portal.lib.tasks import enqueue_on_commit
from um_portal.lib.template_formats import when

from ..models import SLOT_TAKEN_STATUSES, PeerToPeer, Slot
from ..selectors import (
    DENIAL_STATUSES,
    STAFF_P2P_ROLES,
    denial_at,
    min_notice,
    p2p_provider_may_change,
    request_window_days,
)

CALL_HAS_PASSED = (
    "The time of this call has passed, so it can no longer be changed here. Please call us."
)


class SlotTaken(DomainError):
    """Someone else booked the slot first."""

    status_code = 409

    def __init__(self):
        super().__init__("That slot was just taken. Please choose another time.")


def _send_invites(p2p: PeerToPeer) -> None:
    from ..tasks import p2p_send_invites

    enqueue_on_commit(p2p_send_invites, str(p2p.pk))


def _provider_may_act(case: CareRequest, actor: User) -> bool:
    """The requesting organisation's provider, while the organisation holds the `change` grant on
    the case (intake.services.access): the same gate the portal's views use, held here too."""
    return is_case_provider(case, actor) and (
        care_request_scope_for_user(actor, perm="change").filter(pk=case.pk).exists()
    )


def _check_may_book(*, case: CareRequest, actor: User, now: datetime) -> None:
    if actor.has_role(*STAFF_P2P_ROLES):
        pass
    elif _provider_may_act(case, actor):
        denied = denial_at(case)
        window = timedelta(days=request_window_days())
        if denied is None or now - denied > window:
            raise NotPermitted(
                f"A peer-to-peer can be requested within {window.days} days of the denial; "
                "please call us."
            )
    else:
        raise NotPermitted("You may not book a peer-to-peer for this case.")
    if case.status not in DENIAL_STATUSES:
        raise InvalidTransition("A peer-to-peer is offered only after a denial.")


def _check_slot(slot: Slot, now: datetime) -> Slot:
    """The slot, locked and re-read: still offered, far enough ahead and not taken.

    The lock orders this booking after a concurrent `slots_generate` withdrawing the slot (it
    locks the same rows) and after another booking of it; the partial unique index
    `slot_booked_once` stays the last word should anything slip past.
    """
    locked = (
        Slot.objects.select_for_update(of=("self",))
        .select_related("director")
        .filter(pk=slot.pk)
        .first()
    )
    if (
        locked is None
        or locked.is_withdrawn
        or locked.starts_at < now + min_notice()
        or PeerToPeer.objects.filter(slot=locked, status__in=SLOT_TAKEN_STATUSES).exists()
    ):
        raise SlotTaken()
    return locked


def _insert(p2p: PeerToPeer) -> None:
    try:
        with transaction.atomic():
            p2p.save()
    except IntegrityError as exc:
        # PostgreSQL names the constraint; SQLite names the column. Either way: which one lost?
        if "slot" in str(exc):
            raise SlotTaken() from exc
        raise InvalidTransition(
            "This case already has a peer-to-peer booked; reschedule it instead."
        ) from exc


@transaction.atomic
def p2p_book(
    *,
    case: CareRequest,
    slot: Slot,
    actor: User,
    contact_name: str,
    contact_phone: str,
    contact_email: str = "",
    now: datetime | None = None,
) -> PeerToPeer:
    """Book `slot` for a peer-to-peer on a denied case (a nurse or director from the case, or the
    case's provider from the portal within the request window) and send both sides an invite."""
    now = now or timezone.now()
    _check_may_book(case=case, actor=actor, now=now)
    errors: dict[str, list[str]] = {}
    if not (contact_name or "").strip():
        errors["contact_name"] = ["Who should the director speak to?"]
    if not (contact_phone or "").strip():
        errors["contact_phone"] = ["A number the director can call."]
    if errors:
        raise ValidationFailed("The booking has errors.", field_errors=errors)
    slot = _check_slot(slot, now)
    p2p = PeerToPeer(
        care_request=case,
        slot=slot,
        status=PeerToPeer.Status.SCHEDULED,
        requested_by=actor,
        provider_contact_name=contact_name.strip()[:150],
        provider_contact_phone=contact_phone.strip()[:30],
        provider_contact_email=(contact_email or "").strip(),
    )
    _insert(p2p)
    audit_event(
        actor=actor,
        action="p2p.booked",
        case_id=case.pk,
        summary=(
            f"Peer-to-peer booked with {slot.director.display_name} for "
            f"{when(slot.starts_at)}"
            + (" (requested by the provider)." if actor.is_provider else ".")
        ),
        data={"p2p": str(p2p.pk), "slot": str(slot.pk)},
    )
    _send_invites(p2p)
    return p2p


def _check_may_change(p2p: PeerToPeer, actor: User) -> None:
    if not (actor.has_role(*STAFF_P2P_ROLES) or _provider_may_act(p2p.care_request, actor)):
        raise NotPermitted("You may not change this peer-to-peer.")


def _by_provider(actor: User) -> bool:
    return not actor.has_role(*STAFF_P2P_ROLES)


def _locked(p2p: PeerToPeer, actor: User, now: datetime) -> PeerToPeer:
    """The booking, locked, still active, and (for the provider) still ahead.

    Staff may still tidy up a call whose time has passed (a nurse cancels one nobody joined); the
    provider may change only a call that has not started, and that is decided here on the locked
    row, not only by the portal hiding its buttons.
    """
    locked = (
        PeerToPeer.objects.select_for_update(of=("self",))
        .select_related("care_request", "slot__director")
        .get(pk=p2p.pk)
    )
    if not locked.is_active:
        raise InvalidTransition(f"This peer-to-peer is already {locked.get_status_display()}.")
    if _by_provider(actor) and not p2p_provider_may_change(locked, now=now):
        raise InvalidTransition(CALL_HAS_PASSED)
    return locked


@transaction.atomic
def p2p_reschedule(
    *, p2p: PeerToPeer, slot: Slot, actor: User, now: datetime | None = None
) -> PeerToPeer:
    """Move a booking to another slot: the old slot is free again, both sides get the updated
    invite (same UID, next SEQUENCE) and the reminder is due again for the new time. Staff may
    move any active booking; the case's provider only one whose call has not started yet."""
    now = now or timezone.now()
    _check_may_change(p2p, actor)
    locked = _locked(p2p, actor, now)
    if locked.slot_id == slot.pk:
        raise ValidationFailed("Choose a different time.", field_errors={"slot": ["Same time."]})
    slot = _check_slot(slot, now)
    old = locked.slot
    locked.slot = slot
    locked.sequence += 1
    locked.reminder_sent_at = None
    _insert(locked)
    audit_event(
        actor=actor,
        action="p2p.rescheduled",
        case_id=locked.care_request_id,
        summary=(
            "Peer-to-peer moved"
            + (" by the provider" if _by_provider(actor) else "")
            + f" from {when(old.starts_at)} to "
            f"{slot.director.display_name} at {when(slot.starts_at)}."
        ),
        data={"p2p": str(locked.pk), "from_slot": str(old.pk), "slot": str(slot.pk)},
    )
    _send_invites(locked)
    if old.director_id != slot.director_id:
        from ..tasks import p2p_send_release

        enqueue_on_commit(p2p_send_release, str(locked.pk), str(old.pk))
    return locked


@transaction.atomic
def p2p_cancel(
    *, p2p: PeerToPeer, actor: User, reason: str = "", now: datetime | None = None
) -> PeerToPeer:
    """Cancel a booking: the slot is free again and both sides get METHOD:CANCEL. Staff may
    cancel any active booking; the case's provider only one whose call has not started yet."""
    now = now or timezone.now()
    _check_may_change(p2p, actor)
    locked = _locked(p2p, actor, now)
    locked.status = PeerToPeer.Status.CANCELLED
    locked.cancelled_at = now
    locked.cancelled_by = actor
    locked.cancel_reason = (reason or "").strip()[:300]
    locked.sequence += 1
    locked.save()
    audit_event(
        actor=actor,
        action="p2p.cancelled",
        case_id=locked.care_request_id,
        summary=(
            "Peer-to-peer cancelled"
            + (" by the provider" if _by_provider(actor) else "")
            + (f": {locked.cancel_reason}" if locked.cancel_reason else ".")
        ),
        data={"p2p": str(locked.pk)},
    )
    _send_invites(locked)
    return locked
