"""The FHIR shapes of the R4 Subscriptions Backport: the Subscription resource we echo, the
subscription-status Parameters, and the notification Bundle (history) sent to an endpoint."""

import uuid

from django.conf import settings
from django.utils import timezone

from ..models import Notification, Subscription

BACKPORT = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition"
FILTER_URL = f"{BACKPORT}/backport-filter-criteria"
PAYLOAD_CONTENT_URL = f"{BACKPORT}/backport-payload-content"
HEARTBEAT_URL = f"{BACKPORT}/backport-heartbeat-period"
TIMEOUT_URL = f"{BACKPORT}/backport-timeout"
# The PAS IG's topic: results of pended authorization requests, filtered by orgIdentifier.
PAS_TOPIC = "http://hl7.org/fhir/us/davinci-pas/SubscriptionTopic/PASSubscriptionTopic"


def fhir_base() -> str:
    return f"{settings.SITE_URL}/fhir/"


def subscription_url(subscription: Subscription) -> str:
    return f"{fhir_base()}Subscription/{subscription.pk}"


def subscription_resource(subscription: Subscription) -> dict:
    channel_extensions = [{"url": TIMEOUT_URL, "valueUnsignedInt": subscription.timeout_seconds}]
    if subscription.heartbeat_seconds:
        channel_extensions.insert(
            0, {"url": HEARTBEAT_URL, "valueUnsignedInt": subscription.heartbeat_seconds}
        )
    resource = {
        "resourceType": "Subscription",
        "id": str(subscription.pk),
        "meta": {"profile": [f"{BACKPORT}/backport-subscription"]},
        "status": subscription.status,
        "reason": subscription.reason or "PAS results of pended requests",
        "criteria": subscription.topic,
        "_criteria": {
            "extension": [{"url": FILTER_URL, "valueString": subscription.filter_criteria}]
        },
        "channel": {
            "extension": channel_extensions,
            "type": "rest-hook",
            "endpoint": subscription.endpoint,
            "payload": "application/fhir+json",
            "_payload": {"extension": [{"url": PAYLOAD_CONTENT_URL, "valueCode": "full-resource"}]},
        },
    }
    if subscription.end:
        resource["end"] = subscription.end.isoformat()
    if subscription.error:
        resource["error"] = subscription.error
    return resource


def status_parameters(
    subscription: Subscription, kind: str, events: list[tuple[int, str]] = ()
) -> dict:
    """backport-subscription-status-r4: `events` are (event number, focus reference)."""
    parameters = [
        {"name": "subscription", "valueReference": {"reference": subscription_url(subscription)}},
        {"name": "topic", "valueCanonical": subscription.topic},
        {"name": "status", "valueCode": subscription.status},
        {"name": "type", "valueCode": kind},
        {
            "name": "events-since-subscription-start",
            "valueString": str(subscription.events_since_start),
        },
    ]
    for number, focus in events:
        part = [
            {"name": "event-number", "valueString": str(number)},
            {"name": "timestamp", "valueInstant": timezone.now().isoformat()},
        ]
        if focus:
            part.append({"name": "focus", "valueReference": {"reference": focus}})
        parameters.append({"name": "notification-event", "part": part})
    return {
        "resourceType": "Parameters",
        "meta": {"profile": [f"{BACKPORT}/backport-subscription-status-r4"]},
        "parameter": parameters,
    }


def _status_entry(parameters: dict, subscription: Subscription) -> dict:
    return {
        "fullUrl": f"urn:uuid:{uuid.uuid4()}",
        "resource": parameters,
        "request": {"method": "GET", "url": f"Subscription/{subscription.pk}/$status"},
        "response": {"status": "200"},
    }


def notification_bundle(notification: Notification, response_bundle: dict | None) -> dict:
    """The Bundle posted to the endpoint: the subscription status first, then (for an event)
    the PAS Response Bundle of the request, whose ClaimResponse is the event's focus."""
    subscription = notification.subscription
    events, entries = [], []
    if notification.kind == Notification.Kind.EVENT:
        focus = response_bundle["entry"][0]["fullUrl"] if response_bundle else ""
        events = [(notification.event_number, focus)]
        if response_bundle is not None:
            entries.append(
                {
                    "fullUrl": f"urn:uuid:{uuid.uuid4()}",
                    "resource": response_bundle,
                    "request": {"method": "POST", "url": "Claim/$submit"},
                    "response": {"status": "200"},
                }
            )
    parameters = status_parameters(subscription, notification.kind, events)
    return {
        "resourceType": "Bundle",
        "id": str(notification.pk),
        "meta": {"profile": [f"{BACKPORT}/backport-subscription-notification-r4"]},
        "type": "history",
        "timestamp": timezone.now().isoformat(),
        "entry": [_status_entry(parameters, subscription), *entries],
    }


def status_bundle(subscription: Subscription) -> dict:
    """The answer of $status: a searchset with the query-status Parameters."""
    parameters = status_parameters(subscription, "query-status")
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": 1,
        "entry": [
            {
                "fullUrl": f"urn:uuid:{uuid.uuid4()}",
                "resource": parameters,
                "search": {"mode": "match"},
            }
        ],
    }
