"""Peer-to-peer background work: invites, reminders, the no-slot alert, slot generation and the
offer sweep. Tasks take IDs, are idempotent, and claim rows with conditional UPDATEs."""

from datetime import timedelta

from celery.schedules import crontab
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from intake.models import CareRequest, StatusEvent
from um_portal.accounts.models import User
from um_portal.celery import app

from .models import PeerToPeer


def reminder_lead() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "P2P_REMINDER_MINUTES_BEFORE", 60)))


@app.task
def p2p_send_invites(p2p_id: str) -> int:
    """Send the invite for the booking's current SEQUENCE, once: a retry or a duplicate message
    finds the sequence already claimed and sends nothing."""
    from .notifications import send_invites

    p2p = PeerToPeer.objects.select_related("care_request", "slot__director", "requested_by").get(
        pk=p2p_id
    )
    claimed = PeerToPeer.objects.filter(pk=p2p.pk, invite_sequence_sent__lt=p2p.sequence).update(
        invite_sequence_sent=p2p.sequence
    )
    if not claimed:
        return 0
    try:
        return send_invites(p2p)
    except Exception:
        # Give the claim back so the retry sends it; only this sequence's claim is undone.
        PeerToPeer.objects.filter(pk=p2p.pk, invite_sequence_sent=p2p.sequence).update(
            invite_sequence_sent=p2p.sequence - 1
        )
        raise


@app.task
def p2p_send_release(p2p_id: str, old_slot_id: str) -> int:
    """After a move to another director's time, cancel the call on the first director's
    calendar. Not claimed like the invites: a repeated CANCEL for the same UID and SEQUENCE
    changes nothing in a calendar."""
    from .models import Slot
    from .notifications import send_release

    p2p = PeerToPeer.objects.select_related("care_request", "slot").get(pk=p2p_id)
    old_slot = Slot.objects.select_related("director").get(pk=old_slot_id)
    return send_release(p2p, old_slot)


@app.task
def p2p_send_due_reminders() -> int:
    """Remind both sides of calls starting within the lead time. Each booking is claimed with a
    conditional UPDATE on reminder_sent_at, so two beat runs or workers never send it twice."""
    from .notifications import send_reminder

    now = timezone.now()
    due = PeerToPeer.objects.filter(
        status=PeerToPeer.Status.SCHEDULED,
        reminder_sent_at__isnull=True,
        slot__starts_at__gt=now,
        slot__starts_at__lte=now + reminder_lead(),
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        claimed = PeerToPeer.objects.filter(
            pk=pk, reminder_sent_at__isnull=True, status=PeerToPeer.Status.SCHEDULED
        ).update(reminder_sent_at=now)
        if not claimed:
            continue
        p2p = PeerToPeer.objects.select_related("care_request", "slot__director").get(pk=pk)
        try:
            send_reminder(p2p)
        except Exception:
            PeerToPeer.objects.filter(pk=pk, reminder_sent_at=now).update(reminder_sent_at=None)
            raise
        sent += 1
    return sent


@app.task
def p2p_notify_no_slot(case_id: str, user_ids: list[str]) -> int:
    """E-mail the queue lead (or the managers) that a case has no P2P slot in time. Queued by
    p2p_offer_slots only after it claimed P2POffer.lead_notified_at, so this runs once."""
    from .notifications import send_no_slot_alert

    case = CareRequest.objects.get(pk=case_id)
    return send_no_slot_alert(case, list(User.objects.filter(pk__in=user_ids)))


@app.task
def slots_generate_all_task() -> int:
    """Roll every director's slots forward (daily): the window moves one day each night."""
    from .services.availability import slots_generate_all

    return slots_generate_all()


@app.task
def p2p_offer_sweep() -> int:
    """Offer slots to cases denied within the request window that have no offer yet, so a
    shortage is noticed even when nobody opens the case."""
    from .selectors import DENIAL_STATUSES, request_window_days
    from .services.offers import p2p_offer_slots

    now = timezone.now()
    since = now - timedelta(days=request_window_days())
    recent = StatusEvent.objects.filter(to_status__in=DENIAL_STATUSES, at__gte=since).values(
        "care_request_id"
    )
    cases = CareRequest.objects.filter(
        pk__in=recent, status__in=DENIAL_STATUSES, p2p_offer__isnull=True
    ).select_related("queue__lead")
    count = 0
    for case in cases:
        with transaction.atomic():
            p2p_offer_slots(case=case, now=now)
        count += 1
    return count


@app.on_after_finalize.connect
def register_periodic_tasks(sender, **kwargs) -> None:
    sender.add_periodic_task(300.0, p2p_send_due_reminders.s(), name="scheduling: P2P reminders")
    sender.add_periodic_task(900.0, p2p_offer_sweep.s(), name="scheduling: P2P offer sweep")
    sender.add_periodic_task(
        crontab(hour=1, minute=15), slots_generate_all_task.s(), name="scheduling: roll slots"
    )
