"""A nurse's guided review: criteria answers per service line, a summary and a recommendation.
A nurse recommends; only a physician denies (42 CFR 422.566(d))."""

import uuid

from django.conf import settings
from django.db import models

from intake.models import CareRequest, ServiceLine

from .criteria import CriteriaSet, Criterion


class NurseReview(models.Model):
    class Recommendation(models.TextChoices):
        APPROVE = "approve", "Approve"
        REFER = "refer", "Refer to a medical director"
        PEND = "pend", "Pend for information"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    care_request = models.ForeignKey(
        CareRequest, on_delete=models.CASCADE, related_name="nurse_reviews"
    )
    nurse = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(blank=True)
    recommendation = models.CharField(max_length=10, choices=Recommendation.choices, blank=True)
    referral_note = models.TextField(
        blank=True, help_text="On referral: what the nurse recommends to the medical director."
    )

    class Meta:
        ordering = ["-started_at"]


class CriterionAnswer(models.Model):
    class Answer(models.TextChoices):
        MET = "met", "Met"
        NOT_MET = "not_met", "Not met"
        NOT_DOCUMENTED = "not_documented", "Not documented"

    nurse_review = models.ForeignKey(NurseReview, on_delete=models.CASCADE, related_name="answers")
    service_line = models.ForeignKey(ServiceLine, on_delete=models.CASCADE, related_name="+")
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(max_length=15, choices=Answer.choices)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["nurse_review", "service_line", "criterion"], name="criterion_answer_once"
            ),
        ]


class LineJustification(models.Model):
    """Why a nurse approves a line that no criteria set covers. Without one, such a line can only
    be referred to a medical director: a nurse approves only against written criteria or a
    recorded clinical justification a reviewer can audit later."""

    nurse_review = models.ForeignKey(
        NurseReview, on_delete=models.CASCADE, related_name="justifications"
    )
    service_line = models.ForeignKey(ServiceLine, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["nurse_review", "service_line"], name="line_justification_once"
            ),
        ]
