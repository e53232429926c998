"""Peer-to-peer review: directors' availability, bookable slots and the calls (DESIGN §8)."""

import uuid

from django.conf import settings
from django.db import models

from intake.models import CareRequest
from um_portal.lib.template_formats import when

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]


class AvailabilityRule(models.Model):
    """A weekly pattern, in the director's own time zone (User.time_zone)."""

    director = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability_rules"
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    weekday = models.PositiveSmallIntegerField(choices=WEEKDAYS)
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
            models.CheckConstraint(
                condition=models.Q(slot_minutes__gte=10, slot_minutes__lte=240),
                name="availability_rule_slot_length",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"


class AvailabilityException(models.Model):
    """One date that differs from the weekly pattern, in the director's time zone.

    `off` without times: the whole day is off (holiday, leave); `off` with times: that stretch is
    off. `hours`: the director works only these hours that day (changed hours).
    """

    class Kind(models.TextChoices):
        OFF = "off", "Not available"
        HOURS = "hours", "Changed hours (available only these hours)"

    director = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability_exceptions"
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    date = models.DateField()
    kind = models.CharField(max_length=5, choices=Kind.choices, default=Kind.OFF)
    start_time = models.TimeField(null=True, blank=True)
    end_time = models.TimeField(null=True, blank=True)
    reason = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["director", "date"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(start_time__isnull=True, end_time__isnull=True, kind="off")
                    | models.Q(end_time__gt=models.F("start_time"))
                ),
                name="availability_exception_times",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.get_kind_display()}"


class Holiday(models.Model):
    """A day that is not a business day for the one-business-day P2P offer (URAC)."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date}: {self.name}"


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

    def __str__(self) -> str:
        return when(self.starts_at)


ACTIVE_P2P_STATUSES = ("requested", "scheduled")
# A slot stays taken by a booking that stands or whose call was held (or not joined): only a
# cancellation gives its time back. A recorded call's slot offered again was a double booking.
SLOT_TAKEN_STATUSES = (*ACTIVE_P2P_STATUSES, "completed", "no_show")


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
        # Reopened for a new decision line by line on the director's decision page (e.g. some
        # services approved, fewer units): that determination follows there.
        RECONSIDER = "reconsider", "Reopened for a new decision"

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
    # The calendar invite: one UID per booking, SEQUENCE bumped on every change (RFC 5545).
    sequence = models.PositiveIntegerField(default=0)
    invite_sequence_sent = models.IntegerField(
        default=-1, help_text="The last SEQUENCE whose invites went out; makes the send idempotent."
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancel_reason = models.CharField(max_length=300, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    attendees = models.CharField(max_length=300, blank=True, help_text="Who joined the call.")
    notes = models.TextField(blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    reopening_determination = models.OneToOneField(
        "determinations.Determination",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="peer_to_peer",
        help_text="The new decision when the call changed the outcome.",
    )

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = "peer-to-peer review"
        constraints = [
            # A slot carries at most one booking that is not cancelled; cancelling frees it, a
            # recorded call (completed, no-show) keeps it. The database decides booking races.
            models.UniqueConstraint(
                fields=["slot"],
                name="slot_booked_once",
                condition=models.Q(status__in=SLOT_TAKEN_STATUSES),
            ),
            # One open peer-to-peer per case: a second booking is a reschedule instead.
            models.UniqueConstraint(
                fields=["care_request"],
                name="p2p_active_per_case",
                condition=models.Q(status__in=ACTIVE_P2P_STATUSES),
            ),
        ]

    def __str__(self) -> str:
        return f"P2P {self.get_status_display()}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_P2P_STATUSES

    @property
    def ics_uid(self) -> str:
        return f"p2p-{self.pk}@um-portal"


class P2POffer(models.Model):
    """The first offer of slots to a denied case, and whether the queue lead was told that no
    slot existed within one business day (URAC expects the P2P held within one business day)."""

    care_request = models.OneToOneField(
        CareRequest, on_delete=models.PROTECT, related_name="p2p_offer"
    )
    offered_at = models.DateTimeField()
    deadline = models.DateTimeField(help_text="One business day after the offer.")
    earliest_slot_at = models.DateTimeField(null=True, blank=True)
    within_deadline = models.BooleanField()
    lead_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "peer-to-peer offer"
