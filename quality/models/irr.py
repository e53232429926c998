"""Inter-rater reliability audits (NCQA UM 2): reviewers answer the same sampled cases or
gold-standard vignettes blind, and their answers are compared with a reference and each other.

An audit only ever writes these tables: the real case is read, never changed. The reference is
copied onto each item when the audit is built, so a later change to the case or the vignette
cannot change an audit already in the accreditation file."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from intake.models import CareRequest, ServiceLine
from review.models import CriteriaSet, Criterion, CriterionAnswer

Answer = CriterionAnswer.Answer


class Decision(models.TextChoices):
    """Comparable across roles: a nurse cannot deny (42 CFR 422.566(d)), so "not approvable"
    stands for a physician's denial and a nurse's referral alike."""

    APPROVE = "approve", "Approve: the criteria are met"
    NOT_APPROVE = "not_approve", "Not approvable on these criteria (deny, or refer to a physician)"


class IrrSettings(models.Model):
    """The plan's IRR thresholds and annual schedule (one row, edited in the admin)."""

    kappa_threshold = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.60"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text="A reviewer whose kappa against the reference is below this is flagged.",
    )
    agreement_threshold = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        default=Decimal("90.0"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text="Percent agreement with the reference below which a reviewer is flagged.",
    )
    audit_month = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="The month (1–12) by whose end each year's audit must be completed.",
    )

    class Meta:
        verbose_name = "IRR settings"
        verbose_name_plural = "IRR settings"

    def __str__(self) -> str:
        return "IRR settings"


class Vignette(models.Model):
    """A gold-standard case written by the plan: a short synthetic story (no real member), the
    criteria set it tests and the reference answers."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    title = models.CharField(max_length=120, unique=True)
    text = models.TextField(help_text="The synthetic case as the reviewer reads it.")
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="+")
    reference_decision = models.CharField(max_length=12, choices=Decision.choices)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class VignetteAnswer(models.Model):
    vignette = models.ForeignKey(Vignette, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(max_length=15, choices=Answer.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["vignette", "criterion"], name="vignette_answer_once")
        ]


class IrrAudit(models.Model):
    class Source(models.TextChoices):
        RANDOM = "random", "Random sample of decided cases"
        STRATIFIED = "stratified", "Stratified by reviewer and service category"
        VIGNETTES = "vignettes", "Gold-standard vignettes"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        COMPLETED = "completed", "Completed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=120)
    source = models.CharField(max_length=12, choices=Source.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    due_date = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "completed_at"], name="irr_audit_completed")]

    def __str__(self) -> str:
        return self.name


class IrrItem(models.Model):
    """One thing every assigned reviewer answers: a decided case's service line, or a vignette,
    with the reference answers copied at build time ({criterion id: answer})."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    audit = models.ForeignKey(IrrAudit, on_delete=models.CASCADE, related_name="items")
    sequence = models.PositiveSmallIntegerField()
    care_request = models.ForeignKey(
        CareRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    service_line = models.ForeignKey(
        ServiceLine, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    vignette = models.ForeignKey(
        Vignette, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="+")
    reference_decision = models.CharField(max_length=12, choices=Decision.choices)
    reference_answers = models.JSONField(default=dict)

    class Meta:
        ordering = ["audit", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "sequence"], name="irr_item_sequence"),
            models.CheckConstraint(
                condition=models.Q(care_request__isnull=False, service_line__isnull=False)
                | models.Q(vignette__isnull=False),
                name="irr_item_case_or_vignette",
            ),
        ]

    @property
    def label(self) -> str:
        if self.vignette_id:
            return f"Vignette: {self.vignette.title}"
        return f"{self.care_request.reference} line {self.service_line.sequence}"


class IrrAssignment(models.Model):
    """One reviewer's blind answer to one item."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(IrrItem, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="irr_assignments"
    )
    decision = models.CharField(max_length=12, choices=Decision.choices, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "reviewer"], name="irr_assignment_once")
        ]


class IrrAnswer(models.Model):
    """Named like review's CriterionAnswer (answer, note) so the review screen's criterion
    partial renders both."""

    assignment = models.ForeignKey(IrrAssignment, on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(max_length=15, choices=Answer.choices)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="irr_answer_once")
        ]
