"""Creating and ending a client's subscription. A provider user subscribes for its own
organisation only: the filter's orgIdentifier must be one of the organisation's identifiers
(its TIN, or the NPI of one of its providers)."""

from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from fhir.resources.R4B.subscription import Subscription as FhirSubscription
from pydantic import ValidationError

from intake.models import Provider
from portal.fhir.errors import Issue, PasError
from um_portal.audit.services import audit_event

from ..conf import subscription_setting
from ..models import Notification, Subscription
from .bundles import FILTER_URL, HEARTBEAT_URL, PAS_TOPIC, PAYLOAD_CONTENT_URL, TIMEOUT_URL
from .outbox import notifications_enqueue

MAX_HEADERS = 5
MIN_HEARTBEAT_SECONDS = 60


def _extension(element: dict | None, url: str):
    for ext in (element or {}).get("extension", []):
        if ext.get("url") == url:
            return next((v for k, v in ext.items() if k.startswith("value")), None)
    return None


def _org_identifier(filter_criteria: str) -> str:
    """orgIdentifier's value from 'ClaimResponse?orgIdentifier=system|value' (or without the
    resource type or the system)."""
    query = filter_criteria.split("?", 1)[-1]
    for pair in query.split("&"):
        name, _, value = pair.partition("=")
        if name.strip() == "orgIdentifier":
            return value.split("|")[-1].strip()
    return ""


def organization_identifiers(organization) -> set[str]:
    npis = Provider.objects.filter(organization=organization).values_list("npi", flat=True)
    return {v for v in [organization.tax_id, *npis] if v}


def _read(user, data) -> dict:
    """The fields of a Subscription a client posted; PasError naming every problem."""
    if not isinstance(data, dict) or data.get("resourceType") != "Subscription":
        raise PasError([Issue("structure", "Post a Subscription resource.", ["Subscription"])])
    try:
        FhirSubscription.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise PasError(
            [Issue("structure", f"Subscription.{where}: {first['msg']}", [f"Subscription.{where}"])]
        ) from exc
    issues = []
    channel = data.get("channel") or {}
    if data.get("criteria") != PAS_TOPIC:
        issues.append(
            Issue(
                "not-supported",
                f"The only topic offered is {PAS_TOPIC}.",
                ["Subscription.criteria"],
            )
        )
    filter_criteria = _extension(data.get("_criteria"), FILTER_URL) or ""
    org_identifier = _org_identifier(filter_criteria)
    if not org_identifier:
        issues.append(
            Issue(
                "required",
                "Filter by your organisation: a backport-filter-criteria extension on criteria "
                "with 'ClaimResponse?orgIdentifier=<your NPI or TIN>'.",
                ["Subscription.criteria"],
            )
        )
    elif org_identifier not in organization_identifiers(user.provider_organization):
        issues.append(
            Issue(
                "forbidden",
                f"orgIdentifier {org_identifier} is not an identifier of your organisation: a "
                "client subscribes to its own organisation's requests only.",
                ["Subscription.criteria"],
            )
        )
    if channel.get("type") != "rest-hook":
        issues.append(
            Issue(
                "not-supported",
                "Only the rest-hook channel is offered.",
                ["Subscription.channel.type"],
            )
        )
    endpoint = channel.get("endpoint") or ""
    scheme = urlsplit(endpoint).scheme
    if scheme != "https" and not (scheme == "http" and subscription_setting("ALLOW_HTTP")):
        issues.append(
            Issue(
                "invalid", "The endpoint must be an https URL.", ["Subscription.channel.endpoint"]
            )
        )
    if channel.get("payload") not in ("application/fhir+json", "application/json"):
        issues.append(
            Issue(
                "not-supported",
                "The payload must be application/fhir+json.",
                ["Subscription.channel.payload"],
            )
        )
    content = _extension(channel.get("_payload"), PAYLOAD_CONTENT_URL) or "full-resource"
    if content != "full-resource":
        issues.append(
            Issue(
                "not-supported",
                "Only full-resource payloads are offered.",
                ["Subscription.channel.payload"],
            )
        )
    heartbeat = _extension(channel, HEARTBEAT_URL)
    if heartbeat is not None and (
        not isinstance(heartbeat, int) or heartbeat < MIN_HEARTBEAT_SECONDS
    ):
        issues.append(
            Issue(
                "invalid",
                f"The heartbeat period is at least {MIN_HEARTBEAT_SECONDS} seconds.",
                ["Subscription.channel.extension"],
            )
        )
    headers = channel.get("header") or []
    if len(headers) > MAX_HEADERS or any(":" not in h or "\n" in h or "\r" in h for h in headers):
        issues.append(
            Issue(
                "invalid",
                f"At most {MAX_HEADERS} headers, each 'Name: value'.",
                ["Subscription.channel.header"],
            )
        )
    end = parse_datetime(data["end"]) if data.get("end") else None
    if end is not None and end <= timezone.now():
        issues.append(Issue("invalid", "The end is in the past.", ["Subscription.end"]))
    if issues:
        raise PasError(issues, status=422 if any(i.code != "structure" for i in issues) else 400)
    timeout = _extension(channel, TIMEOUT_URL)
    return {
        "topic": PAS_TOPIC,
        "filter_criteria": filter_criteria[:255],
        "endpoint": endpoint,
        "headers": headers,
        "heartbeat_seconds": heartbeat,
        "timeout_seconds": min(max(int(timeout or 30), 1), 60),
        "reason": (data.get("reason") or "")[:255],
        "end": end,
    }


@transaction.atomic
def subscription_create(*, user, data) -> Subscription:
    """Record a `requested` subscription and queue its handshake; it becomes active when the
    endpoint answers the handshake. Raises PasError (nothing written) for a bad request."""
    fields = _read(user, data)
    subscription = Subscription.objects.create(
        organization=user.provider_organization, created_by=user, **fields
    )
    handshake = Notification.objects.create(
        subscription=subscription,
        kind=Notification.Kind.HANDSHAKE,
        next_attempt_at=timezone.now(),
    )
    audit_event(
        actor=user,
        action="subscription.created",
        summary=f"FHIR subscription {subscription.pk} to {fields['endpoint']} requested.",
        data={"subscription": str(subscription.pk)},
    )
    ids = [str(handshake.pk)]
    transaction.on_commit(lambda: notifications_enqueue(ids), robust=True)
    return subscription


@transaction.atomic
def subscription_delete(*, user, subscription: Subscription) -> None:
    """Turn a subscription off; notifications not yet sent are cancelled."""
    Subscription.objects.filter(pk=subscription.pk).update(status=Subscription.Status.OFF)
    Notification.objects.filter(
        subscription=subscription, status=Notification.Status.PENDING
    ).update(status=Notification.Status.CANCELLED)
    audit_event(
        actor=user,
        action="subscription.deleted",
        summary=f"FHIR subscription {subscription.pk} turned off.",
        data={"subscription": str(subscription.pk)},
    )
