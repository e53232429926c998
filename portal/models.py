"""What the portal app stores: the record of each PAS submission, for idempotency and $inquire."""

import uuid

from django.conf import settings
from django.db import models


class PasSubmission(models.Model):
    """One accepted PAS Claim/$submit. The same Claim (identifier and content) from the same
    organisation maps to the same care request, so a resubmitted Bundle never creates a second
    case."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    care_request = models.OneToOneField(
        "intake.CareRequest", on_delete=models.PROTECT, related_name="pas_submission"
    )
    organization = models.ForeignKey(
        "accounts.ProviderOrganization", on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    claim_identifier_system = models.CharField(max_length=255, blank=True)
    claim_identifier_value = models.CharField(max_length=100)
    # SHA-256 of what the Claim asks for (portal.fhir.services.claim_content_hash): the same
    # request sent again answers the same case; a different one reusing the identifier is new.
    content_hash = models.CharField(max_length=64, blank=True)
    # Claim.item.sequence of each service line, in line order: the response echoes them.
    item_sequences = models.JSONField(default=list)
    # The resources the ClaimResponse refers to (patient, insurer, requester), echoed in every
    # response Bundle so its references resolve; and the full request, as received.
    echo_entries = models.JSONField(default=list)
    request_bundle = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "organization",
                    "claim_identifier_system",
                    "claim_identifier_value",
                    "content_hash",
                ],
                name="pas_submission_unique_claim",
            ),
        ]

    def __str__(self) -> str:
        return f"PAS {self.claim_identifier_value}"
