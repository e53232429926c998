"""An EHR allowed to call our CDS Hooks services: who it is (the JWT issuer), the public keys its
tokens are signed with, and the organisation and user its calls act for."""

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from um_portal.accounts.models import ProviderOrganization

# JWK members that only a private key has (RFC 7518 §6.2.2, §6.3.2): a client that pastes its
# private key here has leaked it, and we must not keep it.
PRIVATE_JWK_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}


def private_key_members(jwks) -> set[str]:
    keys = jwks.get("keys", []) if isinstance(jwks, dict) else []
    return {m for key in keys if isinstance(key, dict) for m in PRIVATE_JWK_MEMBERS & set(key)}


class CdsClient(models.Model):
    name = models.CharField(max_length=150)
    issuer = models.CharField(
        max_length=255, unique=True, help_text="The `iss` of the client's JWTs (CDS Hooks §Trust)."
    )
    jwks = models.JSONField(
        default=dict, blank=True, help_text='Public keys as a JWK Set: {"keys": [...]}.'
    )
    jwks_url = models.URLField(
        blank=True, help_text="Where the client publishes its JWK Set (fetched when enabled)."
    )
    organization = models.ForeignKey(
        ProviderOrganization, on_delete=models.PROTECT, related_name="cds_clients"
    )
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The provider user the client's calls are recorded as (audit, access logs).",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "CDS Hooks client"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not isinstance(self.jwks, dict) or (
            self.jwks and not isinstance(self.jwks.get("keys"), list)
        ):
            raise ValidationError({"jwks": 'A JWK Set is an object with a "keys" list.'})
        leaked = private_key_members(self.jwks)
        if leaked:
            raise ValidationError(
                {
                    "jwks": "This JWK Set holds private key parts "
                    f"({', '.join(sorted(leaked))}); give only the public keys."
                }
            )
        if not self.jwks.get("keys") and not self.jwks_url:
            raise ValidationError("Give the client's public keys or the URL of its JWK Set.")
        json.dumps(self.jwks)


class AttestedCriteria(models.Model):
    """The provider's answers to a criteria set's DTR questionnaire (`criteria-<slug>`), sent with
    a PAS $submit or given on the portal's DTR page. They are the provider's word, not a review:
    the nurse sees them beside her own answers, and an auto-approval rule may ask that every
    criterion was attested as met (never a denial on them)."""

    class Source(models.TextChoices):
        PAS = "pas", "PAS $submit"
        PORTAL = "portal", "Portal DTR page"

    care_request = models.ForeignKey(
        "intake.CareRequest", on_delete=models.CASCADE, related_name="attested_criteria"
    )
    criteria_set = models.ForeignKey(
        "review.CriteriaSet", on_delete=models.PROTECT, related_name="+"
    )
    # {"<criterion sequence>": true | false | null} for every criterion of the set's version;
    # null: the response left it unanswered.
    answers = models.JSONField(default=dict)
    source = models.CharField(max_length=10, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["care_request", "-recorded_at", "-pk"]
        verbose_name = "attested criteria (DTR)"
        verbose_name_plural = "attested criteria (DTR)"

    def __str__(self) -> str:
        return f"{self.criteria_set_id} attested {self.recorded_at:%Y-%m-%d}"
