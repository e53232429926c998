"""Posting one notification to its subscription's endpoint: at most once, with retries.

A worker claims the row (pending → sending) with a conditional UPDATE before it posts, and marks
it delivered afterwards; a failed post puts it back to pending with a later retry time (doubling
backoff), until the last attempt makes it a dead letter for staff (the admin's outbox list).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from portal.fhir.notify import response_bundle_for_case

from .. import transport
from ..conf import subscription_setting
from ..models import Notification, Subscription
from .bundles import notification_bundle


@dataclass(frozen=True)
class Outcome:
    result: str  # "delivered", "retry", "dead", "skipped"
    retry_in: int | None = None


def notification_deliver(notification_id) -> Outcome:
    now = timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, status=Notification.Status.PENDING, next_attempt_at__lte=now
    ).update(status=Notification.Status.SENDING, attempts=F("attempts") + 1, claimed_at=now)
    if not claimed:
        return Outcome("skipped")
    notification = Notification.objects.select_related("subscription__created_by").get(
        pk=notification_id
    )
    subscription = notification.subscription
    if subscription.status == Subscription.Status.OFF:
        Notification.objects.filter(pk=notification.pk).update(status=Notification.Status.CANCELLED)
        return Outcome("skipped")
    response_bundle = None
    if notification.kind == Notification.Kind.EVENT:
        # The request as it is now, read on the subscriber's behalf (logged as its access).
        response_bundle = response_bundle_for_case(
            notification.care_request_id, user=subscription.created_by
        )
    body = notification_bundle(notification, response_bundle)
    sent = transport.post_json(
        subscription.endpoint,
        body,
        headers=subscription.headers,
        timeout=subscription.timeout_seconds,
    )
    if sent.ok:
        Notification.objects.filter(pk=notification.pk, status=Notification.Status.SENDING).update(
            status=Notification.Status.DELIVERED, delivered_at=timezone.now(), last_error=""
        )
        updates = {"last_sent_at": timezone.now(), "error": ""}
        if notification.kind == Notification.Kind.HANDSHAKE:
            updates["status"] = Subscription.Status.ACTIVE
        Subscription.objects.filter(pk=subscription.pk).exclude(
            status=Subscription.Status.OFF
        ).update(**updates)
        return Outcome("delivered")
    if notification.attempts >= int(subscription_setting("MAX_ATTEMPTS")):
        Notification.objects.filter(pk=notification.pk, status=Notification.Status.SENDING).update(
            status=Notification.Status.DEAD, last_error=sent.error
        )
        error = f"Notification {notification.pk} not delivered: {sent.error}"
        subscription_updates = {"error": error}
        if notification.kind == Notification.Kind.HANDSHAKE:
            subscription_updates["status"] = Subscription.Status.ERROR
        Subscription.objects.filter(pk=subscription.pk).exclude(
            status=Subscription.Status.OFF
        ).update(**subscription_updates)
        return Outcome("dead")
    backoff = int(subscription_setting("BACKOFF_SECONDS")) * 2 ** (notification.attempts - 1)
    Notification.objects.filter(pk=notification.pk, status=Notification.Status.SENDING).update(
        status=Notification.Status.PENDING,
        next_attempt_at=timezone.now() + timedelta(seconds=backoff),
        last_error=sent.error,
    )
    return Outcome("retry", retry_in=backoff)
