"""The notification outbox, like the letters' (determinations.services.outbox).

Where events come from: every status change of a case is one `intake.StatusEvent` row, written in
the same transaction as the change (intake's care_request_transition). That row is the durable
event; this app learns of it after commit (a post_save receiver queues the fan-out, receivers.py)
and, should that be lost (broker down, worker killed), the sweeper finds the events still owed.
Fan-out writes one Notification per (subscription, event) — a unique constraint, so an event is
never queued twice — and delivery claims each row before posting (delivery.py), so it is never
sent twice. Writing the outbox rows in the deciding transaction itself would add a query to every
status change of every case for a feature only PAS submitters use; the StatusEvent already gives
the same guarantee (no event lost, none doubled).
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from intake.models import StatusEvent

from ..conf import subscription_setting
from ..models import Notification, Subscription

log = logging.getLogger(__name__)

# The submitter already has the answer to its $submit in the response: receipt is not news.
SILENT_TRANSITIONS = ("submit",)


def notifications_enqueue(notification_ids: list[str]) -> int:
    """One delivery task per notification; never raises (the sweeper re-queues what is left)."""
    from ..tasks import notification_deliver_task

    queued = 0
    for notification_id in notification_ids:
        try:
            notification_deliver_task.apply_async(
                args=[notification_id],
                retry=True,
                retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.2},
            )
            queued += 1
        except Exception as exc:  # noqa: BLE001 - any broker failure: leave it to the sweeper
            log.warning(
                "Notification %s not queued (%s); the sweeper will retry.", notification_id, exc
            )
    return queued


def _events_owed(subscription: Subscription, since, status_event_ids):
    events = (
        StatusEvent.objects.filter(
            at__gte=max(subscription.created_at, since),
            # Only the organisation's own PAS requests, and only while it holds the grant.
            care_request__pas_submission__organization_id=subscription.organization_id,
            care_request__provider_organization_id=subscription.organization_id,
        )
        .exclude(transition__in=SILENT_TRANSITIONS)
        .exclude(
            pk__in=Notification.objects.filter(
                subscription=subscription, status_event__isnull=False
            ).values("status_event_id")
        )
        .order_by("at", "id")
    )
    if status_event_ids is not None:
        events = events.filter(pk__in=status_event_ids)
    return events[:500]


def notifications_fan_out(*, status_event_ids: list[int] | None = None) -> list[str]:
    """Queue a notification for each active subscription owed one of these events (or, for the
    sweeper, any recent event); returns the new notifications' ids, already queued for delivery
    after commit."""
    since = timezone.now() - timedelta(hours=subscription_setting("LOOKBACK_HOURS"))
    created: list[str] = []
    for subscription_id in Subscription.objects.filter(
        status=Subscription.Status.ACTIVE
    ).values_list("pk", flat=True):
        with transaction.atomic():
            # The lock numbers events one after the other (events-since-subscription-start).
            subscription = Subscription.objects.select_for_update().get(pk=subscription_id)
            if subscription.status != Subscription.Status.ACTIVE:
                continue
            rows = []
            for event in _events_owed(subscription, since, status_event_ids):
                subscription.events_since_start += 1
                rows.append(
                    Notification(
                        subscription=subscription,
                        kind=Notification.Kind.EVENT,
                        status_event=event,
                        care_request_id=event.care_request_id,
                        event_number=subscription.events_since_start,
                        next_attempt_at=timezone.now(),
                    )
                )
            if rows:
                Notification.objects.bulk_create(rows)
                subscription.save(update_fields=["events_since_start"])
                ids = [str(row.pk) for row in rows]
                transaction.on_commit(lambda ids=ids: notifications_enqueue(ids), robust=True)
                created += ids
    return created


def heartbeats_queue() -> list[str]:
    """A heartbeat for each active subscription that has had nothing for its heartbeat period."""
    now = timezone.now()
    created = []
    due = Subscription.objects.filter(
        status=Subscription.Status.ACTIVE, heartbeat_seconds__isnull=False
    )
    for subscription in due:
        last = subscription.last_sent_at or subscription.created_at
        if last + timedelta(seconds=subscription.heartbeat_seconds) > now:
            continue
        with transaction.atomic():
            # Claimed by moving last_sent_at: two sweepers never queue the same heartbeat.
            claimed = Subscription.objects.filter(
                pk=subscription.pk, last_sent_at=subscription.last_sent_at
            ).update(last_sent_at=now)
            if not claimed:
                continue
            notification = Notification.objects.create(
                subscription=subscription, kind=Notification.Kind.HEARTBEAT, next_attempt_at=now
            )
            created.append(str(notification.pk))
    notifications_enqueue(created)
    return created


def notifications_sweep() -> dict[str, int]:
    """Beat: settle dead workers' claims, fan out missed events, send heartbeats, re-queue
    notifications whose retry time has come, and end subscriptions past their end."""
    now = timezone.now()
    stale = now - timedelta(seconds=subscription_setting("CLAIM_STALE_SECONDS"))
    # A notification left `sending` may or may not have reached the endpoint: never guess.
    unconfirmed = Notification.objects.filter(
        status=Notification.Status.SENDING, claimed_at__lt=stale
    ).update(
        status=Notification.Status.DEAD,
        last_error="Delivery unconfirmed: the worker stopped while sending.",
    )
    ended = Subscription.objects.filter(
        ~Q(status=Subscription.Status.OFF), end__isnull=False, end__lte=now
    ).update(status=Subscription.Status.OFF)
    fanned_out = len(notifications_fan_out())
    heartbeats = len(heartbeats_queue())
    due = Notification.objects.filter(
        status=Notification.Status.PENDING, next_attempt_at__lte=now
    ).values_list("pk", flat=True)[:500]
    queued = notifications_enqueue([str(pk) for pk in due])
    return {
        "unconfirmed": unconfirmed,
        "ended": ended,
        "fanned_out": fanned_out,
        "heartbeats": heartbeats,
        "queued": queued,
    }


def notification_retry(*, notification: Notification) -> bool:
    """Staff put a dead letter back in the outbox (admin action); True when it was dead."""
    retried = Notification.objects.filter(
        pk=notification.pk, status=Notification.Status.DEAD
    ).update(
        status=Notification.Status.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        last_error=F("last_error"),
    )
    if retried:
        transaction.on_commit(lambda: notifications_enqueue([str(notification.pk)]), robust=True)
    return bool(retried)
