"""Peer-to-peer review: directors' availability, bookable slots and the calls (DESIGN §8)."""

import uuid

from django.conf import settings
from django.db import models

from intake.models import CareRequest


class AvailabilityRule(models.Model):
    """A weekly pattern, in the director's own time zone (User.time_zone)."""

    director = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability_rules"
    )
    weekday = models.PositiveSmallIntegerField(
        choices=[
            (0, "Monday"),
            (1, "Tuesday"),
            (2, "Wednesday"),
            (3, "Thursday"),
            (4, "Friday"),
            (5, "Saturday"),
            (6, "Sunday"),
        ]
    )
    start_time = models.TimeField()
    end_time = models.TimeField()
    slot_minutes = models.PositiveSmallIntegerField(default=30)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["director", "weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="availability_rule_ordered",
            ),
        ]


class AvailabilityException(models.Model):
    """A holiday, leave or changed hours on one date; no times means the whole day is off."""

    director = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability_exceptions"
    )
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)
    reason = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["director", "date"]


class Slot(models.Model):
    """A bookable stretch of a director's time, in UTC."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    director = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="p2p_slots"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    is_withdrawn = models.BooleanField(
        default=False, help_text="Removed by an exception after generation."
    )

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["director", "starts_at"], name="slot_unique_start"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="slot_ordered"
            ),
        ]
        indexes = [models.Index(fields=["starts_at"], name="slot_start")]


class PeerToPeer(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        SCHEDULED = "scheduled", "Scheduled"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"
        NO_SHOW = "no_show", "No-show"

    class Outcome(models.TextChoices):
        UPHELD = "upheld", "Decision upheld"
        CHANGED = "changed", "Decision changed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    care_request = models.ForeignKey(
        CareRequest, on_delete=models.PROTECT, related_name="peer_to_peers"
    )
    slot = models.ForeignKey(
        Slot, null=True, blank=True, on_delete=models.PROTECT, related_name="bookings"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    provider_contact_name = models.CharField(max_length=150)
    provider_contact_phone = models.CharField(max_length=30)
    provider_contact_email = models.EmailField(blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    attendees = models.CharField(max_length=300, blank=True, help_text="Who joined the call.")
    notes = models.TextField(blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            # A slot is booked at most once while the booking stands; cancelling frees it.
            models.UniqueConstraint(
                fields=["slot"],
                name="slot_booked_once",
                condition=models.Q(status__in=["requested", "scheduled"]),
            ),
        ]
