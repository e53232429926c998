"""Administrative (benefit, eligibility, network) determinations: who may make them per plan and
reason, and the out-of-network exception a medical director decides."""

import uuid

from django.conf import settings
from django.db import models

from intake.models import CareRequest, Plan, ServiceLine

from .reference import DenialReason


class AdministrativeAuthority(models.Model):
    """Who besides a medical director may deny for an administrative reason: a plan's row
    overrides the global one (plan empty); without a row only a physician may. A reason that
    touches medical necessity (not `administrative`) is never delegated, whatever a row says."""

    reason = models.ForeignKey(
        DenialReason,
        on_delete=models.CASCADE,
        related_name="authorities",
        limit_choices_to={"administrative": True},
    )
    plan = models.ForeignKey(
        Plan,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Empty: every plan without a row of its own.",
    )
    intake_may_decide = models.BooleanField(default=False)
    nurse_may_decide = models.BooleanField(default=False)

    class Meta:
        ordering = ["reason__sort_order", "plan__name"]
        verbose_name_plural = "administrative authorities"
        constraints = [
            models.UniqueConstraint(fields=["reason", "plan"], name="admin_authority_per_plan"),
            models.UniqueConstraint(
                fields=["reason"],
                condition=models.Q(plan__isnull=True),
                name="admin_authority_global",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason}: {self.plan or 'all plans'}"


class NetworkException(models.Model):
    """A request to cover an out-of-network provider as if in network (network adequacy or a
    single-case agreement). Intake or a nurse asks; a medical director decides: approved, the
    case goes on in review; denied, the case is denied administratively (out of network)."""

    class Basis(models.TextChoices):
        NETWORK_ADEQUACY = "network_adequacy", "Network adequacy (no suitable network provider)"
        SINGLE_CASE = "single_case", "Single-case agreement"

    class Status(models.TextChoices):
        REQUESTED = "requested", "Waiting for a medical director"
        APPROVED = "approved", "Exception approved"
        DENIED = "denied", "Exception denied"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    care_request = models.ForeignKey(
        CareRequest, on_delete=models.PROTECT, related_name="network_exceptions"
    )
    basis = models.CharField(max_length=20, choices=Basis.choices)
    reason = models.TextField(help_text="Why the member needs this provider.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["requested_at"]
        constraints = [
            # Two people asking at once: the database keeps one open exception per case.
            models.UniqueConstraint(
                fields=["care_request"],
                condition=models.Q(status="requested"),
                name="network_exception_one_open",
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="network_exception_queue")]

    def __str__(self) -> str:
        return f"{self.get_basis_display()}: {self.get_status_display()}"


class AdministrativeLineDenial(models.Model):
    """A service line denied administratively while the case's other lines go on in review.

    The case keeps one determination of record (one notice, CMS-0057-F counts once): the line
    waits here, marked denied, until the rest is decided; the determination that closes the
    case then carries it with its own reason and provision."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    care_request = models.ForeignKey(
        CareRequest, on_delete=models.CASCADE, related_name="administrative_line_denials"
    )
    service_line = models.OneToOneField(
        ServiceLine, on_delete=models.CASCADE, related_name="administrative_denial"
    )
    reason_code = models.CharField(max_length=20)
    rationale = models.TextField()
    plan_provision = models.CharField(max_length=300)
    source = models.CharField(max_length=10)  # Determination.Source of who decided
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["care_request", "service_line__sequence"]

    def __str__(self) -> str:
        return f"Line {self.service_line_id}: {self.reason_code}"
