import uuid

from django.conf import settings
from django.db import models

from intake.models import CareRequest, ServiceLine


class Determination(models.Model):
    """One decision on a case. A reopening or appeal decision is a new row linked to the one it
    replaces; rows are never edited after they are issued."""

    class Kind(models.TextChoices):
        INITIAL = "initial", "Initial determination"
        REOPENING = "reopening", "Reopening"
        APPEAL = "appeal", "Appeal"

    class Outcome(models.TextChoices):
        APPROVED = "approved", "Approved"
        PARTIALLY_APPROVED = "partially_approved", "Partially approved"
        DENIED = "denied", "Denied"
        NOT_REQUIRED = "not_required", "No authorization required"

    class Source(models.TextChoices):
        RULES = "rules", "Automatic (rules engine)"
        NURSE = "nurse", "Nurse reviewer"
        PHYSICIAN = "physician", "Medical director"
        INTAKE = "intake", "Intake"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    care_request = models.ForeignKey(
        CareRequest, on_delete=models.PROTECT, related_name="determinations"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.INITIAL)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    source = models.CharField(max_length=10, choices=Source.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Copied at decision time: letters must show who decided even if the account changes later.
    reviewer_name = models.CharField(max_length=150, blank=True)
    reviewer_credentials = models.CharField(max_length=40, blank=True)
    decided_at = models.DateTimeField()
    reason_code = models.CharField(max_length=20, blank=True)
    rationale = models.TextField(blank=True, help_text="Plain language, specific to the member.")
    criteria_cited = models.JSONField(
        default=list, blank=True, help_text='[{"slug":..., "name":..., "version":...}]'
    )
    rules_version = models.JSONField(
        default=dict, blank=True, help_text="Rule versions an automatic decision used."
    )
    auth_number = models.CharField(max_length=20, blank=True)
    # A benefit, eligibility or network decision (no medical judgement): its letter says so.
    administrative = models.BooleanField(default=False)

    class Meta:
        ordering = ["-decided_at"]
        indexes = [models.Index(fields=["care_request", "-decided_at"], name="determination_case")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_outcome_display()}"


class LineDecision(models.Model):
    class Outcome(models.TextChoices):
        APPROVED = "approved", "Approved"
        MODIFIED = "modified", "Approved with fewer units or a shorter period"
        DENIED = "denied", "Denied"
        NOT_REQUIRED = "not_required", "No authorization required"

    determination = models.ForeignKey(
        Determination, on_delete=models.CASCADE, related_name="line_decisions"
    )
    service_line = models.ForeignKey(
        ServiceLine, on_delete=models.PROTECT, related_name="line_decisions"
    )
    outcome = models.CharField(max_length=15, choices=Outcome.choices)
    approved_units = models.PositiveIntegerField(null=True, blank=True)
    approved_start = models.DateField(null=True, blank=True)
    approved_end = models.DateField(null=True, blank=True)
    reason_code = models.CharField(max_length=20, blank=True)
    # The reason's label as it read when decided: staff pages show words, never the code.
    reason_label = models.CharField(max_length=150, blank=True)
    rationale = models.TextField(blank=True)
    criteria_set_slug = models.SlugField(max_length=60, blank=True)
    criteria_set_name = models.CharField(max_length=150, blank=True)
    criteria_set_version = models.PositiveIntegerField(null=True, blank=True)
    # The one criterion of the set the adverse decision rests on, as it read when decided: the
    # letters cite it (not the whole set), and a later edit of the set does not rewrite history.
    criterion_sequence = models.PositiveSmallIntegerField(null=True, blank=True)
    criterion_text = models.TextField(blank=True)  # the reviewer's wording (provider letter)
    criterion_plain = models.TextField(blank=True)  # the plain-language one (member letter)
    # An administrative denial's plan provision: "Evidence of Coverage, section 4.2", free text.
    plan_provision = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["determination", "service_line__sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["determination", "service_line"], name="line_decision_once"
            ),
        ]
