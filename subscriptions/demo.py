"""Demo data: the Lakeside office's EHR subscription, whose endpoint could not be reached, so the
admin's outbox shows a dead letter (Subscriptions → Notifications, filter "Dead letter")."""

from datetime import timedelta

from django.utils import timezone

from intake.models import Provider

from .conf import subscription_setting
from .models import Notification, Subscription
from .services.bundles import PAS_TOPIC


def seed_subscriptions(*, users: dict) -> int:
    """Idempotent; returns how many subscriptions were added. Rows are written directly: going
    through subscription_create would post a real handshake to a made-up address."""
    user = users.get("provider")
    organization = getattr(user, "provider_organization", None)
    if organization is None or Subscription.objects.filter(organization=organization).exists():
        return 0
    npi = Provider.objects.filter(organization=organization).values_list("npi", flat=True).first()
    created = timezone.now() - timedelta(hours=3)
    subscription = Subscription.objects.create(
        organization=organization,
        created_by=user,
        status=Subscription.Status.ERROR,
        topic=PAS_TOPIC,
        filter_criteria=f"ClaimResponse?orgIdentifier={npi or organization.tax_id}",
        endpoint="https://ehr.lakeside.example/fhir/pas-notifications",
        heartbeat_seconds=3600,
        reason="Results of pended prior authorization requests",
        error="Handshake not delivered: the endpoint's name does not resolve.",
    )
    Notification.objects.create(
        subscription=subscription,
        kind=Notification.Kind.HANDSHAKE,
        status=Notification.Status.DEAD,
        attempts=subscription_setting("MAX_ATTEMPTS"),
        next_attempt_at=created,
        last_error="Not delivered: [Errno -2] Name or service not known",
    )
    return 1
