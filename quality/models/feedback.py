"""Providers' ratings of how a decided request went (issue 19, "Feedback")."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

COMMENT_MAX = 1000


class Feedback(models.Model):
    """One rating (1–5) of one decided request, with an optional comment: by the requesting
    organisation (provider portal) or by the member the request is about (the member's own
    pages) — each once. The service category is the request's at the time of rating, kept so
    the manager's table is one grouped query."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    care_request = models.ForeignKey(
        "intake.CareRequest", on_delete=models.PROTECT, related_name="feedback"
    )
    organization = models.ForeignKey(
        "accounts.ProviderOrganization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    member = models.ForeignKey(
        "intake.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    service_category = models.ForeignKey(
        "intake.ServiceCategory", on_delete=models.PROTECT, related_name="+"
    )
    rating = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.CharField(max_length=COMMENT_MAX, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "feedback"
        constraints = [
            models.UniqueConstraint(
                fields=["care_request", "organization"], name="feedback_once_per_request_org"
            ),
            models.UniqueConstraint(
                fields=["care_request", "member"], name="feedback_once_per_request_member"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_to_5"
            ),
            # Either the organisation's rating or the member's, never both in one row.
            models.CheckConstraint(
                condition=models.Q(organization__isnull=False, member__isnull=True)
                | models.Q(organization__isnull=True, member__isnull=False),
                name="feedback_from_provider_or_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5 for {self.care_request_id}"
