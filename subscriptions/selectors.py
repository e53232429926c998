"""Reads of subscriptions, always scoped to the asking user's organisation."""

from django.db.models import QuerySet

from .models import Subscription


def subscriptions_for_user(user) -> QuerySet[Subscription]:
    """The organisation's subscriptions that are not off (a deleted one is gone for its client)."""
    return Subscription.objects.filter(organization=user.provider_organization).exclude(
        status=Subscription.Status.OFF
    )


def subscription_get_for_user(user, subscription_id) -> Subscription | None:
    try:
        return subscriptions_for_user(user).filter(pk=subscription_id).first()
    except (ValueError, TypeError):
        return None
