"""A client's subscription to the PAS topic, and the outbox of notifications sent to it."""

import uuid

from django.conf import settings
from django.db import models


class Subscription(models.Model):
    """One rest-hook subscription of a provider organisation (R4 backport Subscription)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested (handshake pending)"
        ACTIVE = "active", "Active"
        ERROR = "error", "Error"
        OFF = "off", "Off (deleted by the client)"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "accounts.ProviderOrganization", on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    topic = models.CharField(max_length=255)
    # The organisation identifier of the filter (orgIdentifier), as the client wrote it.
    filter_criteria = models.CharField(max_length=255)
    endpoint = models.URLField(max_length=500)
    # Channel headers the client asked us to send (e.g. its own Authorization header).
    headers = models.JSONField(default=list, blank=True)
    heartbeat_seconds = models.PositiveIntegerField(null=True, blank=True)
    timeout_seconds = models.PositiveSmallIntegerField(default=30)
    reason = models.CharField(max_length=255, blank=True)
    end = models.DateTimeField(null=True, blank=True)
    events_since_start = models.PositiveIntegerField(default=0)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "organization"], name="subscription_status_org")]

    def __str__(self) -> str:
        return f"{self.organization} → {self.endpoint} ({self.status})"


class Notification(models.Model):
    """The outbox: one row per notification a subscription is owed. An event notification is
    keyed by the status event it reports, so the same event is never queued twice; a worker
    claims a row (pending → sending) before it posts, so it is never sent twice."""

    class Kind(models.TextChoices):
        HANDSHAKE = "handshake", "Handshake"
        HEARTBEAT = "heartbeat", "Heartbeat"
        EVENT = "event-notification", "Event notification"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        DELIVERED = "delivered", "Delivered"
        DEAD = "dead", "Dead letter"
        CANCELLED = "cancelled", "Cancelled (subscription off)"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status_event = models.ForeignKey(
        "intake.StatusEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    care_request = models.ForeignKey(
        "intake.CareRequest", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    event_number = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "status_event"],
                condition=models.Q(status_event__isnull=False),
                name="notification_once_per_event",
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_due"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.event_number or '-'} ({self.status})"
