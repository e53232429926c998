"""Who may call the Provider Access and Payer-to-Payer APIs (SMART Backend Services clients),
which members are attributed to which provider organisation, and the bulk exports they ask for."""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from intake.models import Member
from um_portal.accounts.models import ProviderOrganization

DEFAULT_SCOPES = "system/Group.read system/Patient.read system/Coverage.read " + (
    "system/ExplanationOfBenefit.read"
)


def _client_id() -> str:
    return secrets.token_urlsafe(24)


class BackendClient(models.Model):
    """A system (a provider organisation's EHR, or another payer) authenticating with
    private_key_jwt (SMART Backend Services). The toolkit `application` carries its tokens; the
    `user` is the service account the access log names for every read it makes."""

    class Kind(models.TextChoices):
        PROVIDER = "provider", "Provider organisation (Provider Access API)"
        PAYER = "payer", "Another payer (Payer-to-Payer, $member-match)"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PROVIDER)
    organization = models.ForeignKey(
        ProviderOrganization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="backend_clients",
        help_text="Required for a provider client: it sees only members attributed to it.",
    )
    name = models.CharField(max_length=200)
    client_id = models.CharField(max_length=100, unique=True, default=_client_id)
    jwks = models.JSONField(
        default=dict, blank=True, help_text='The public keys inline: {"keys": [...]}.'
    )
    jwks_url = models.URLField(blank=True, help_text="Or where the client publishes them.")
    scopes = models.CharField(max_length=500, default=DEFAULT_SCOPES)
    active = models.BooleanField(default=True)
    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        on_delete=models.PROTECT,
        related_name="backend_client",
        editable=False,
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="backend_client",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="payer") | Q(organization__isnull=False),
                name="provider_client_has_organization",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes.split())


class UsedAssertion(models.Model):
    """A client assertion's jti, kept until the assertion expires: a replay is refused."""

    client = models.ForeignKey(BackendClient, on_delete=models.CASCADE, related_name="+")
    jti = models.CharField(max_length=255)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "jti"], name="one_use_per_assertion")
        ]


class AttributionGroup(models.Model):
    """One attribution list of a provider organisation (the FHIR Group it exports)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        ProviderOrganization, on_delete=models.PROTECT, related_name="attribution_groups"
    )
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Attribution(models.Model):
    """A member attributed to a provider organisation for a period (CMS-0057-F: the payer
    decides, from claims or enrolment, which providers have a treatment relationship)."""

    class Source(models.TextChoices):
        CLAIMS = "claims", "Claims history"
        PCP = "pcp", "Primary care assignment"
        PROVIDER = "provider", "Reported by the provider"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(
        AttributionGroup, on_delete=models.PROTECT, related_name="attributions"
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="attributions")
    start = models.DateField()
    end = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)

    class Meta:
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "member", "start"], name="one_attribution_per_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.group_id} from {self.start}"


class BulkExport(models.Model):
    """A Group $export (FHIR Bulk Data): queued, run by a task, its files kept until expiry."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        RUNNING = "running", "Running"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"
        EXPIRED = "expired", "Expired"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(BackendClient, on_delete=models.PROTECT, related_name="exports")
    group = models.ForeignKey(AttributionGroup, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACCEPTED)
    types = models.JSONField(default=list)
    since = models.DateTimeField(null=True, blank=True)
    request_url = models.CharField(max_length=500)
    requested_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    progress = models.CharField(max_length=100, blank=True)
    # [{"type": "Patient", "count": 3}]: the files are bulk/<id>/<type>.ndjson in storage.
    output = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Export {self.pk} ({self.status})"
