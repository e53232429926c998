"""Rules as data (DESIGN §4): needs assessment, document checklist and auto-approval, edited by a
UM manager in the admin and evaluated by `intake.rules`.

Every rule is versioned. A version, once written, never changes: editing a rule writes a new row
with the same `key` and the next `version` and marks the old one not current
(`intake.rules.versioning.rule_revise`). Decisions and evaluations record (key, version), so a
determination made last year can still say exactly which rule made it.

Routing rules are the matching fields of `Queue` itself (intake.models.routing).
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from um_portal.audit.models import AppendOnlyModel
from um_portal.lib.codes import CodeSystem, normalize_icd10

from .care_request import CareRequest
from .case_items import DocumentKind
from .reference import LineOfBusiness, Plan, ServiceCategory
from .routing import Queue

CODE_SYSTEM_CHOICES = [
    (CodeSystem.CPT, "CPT"),
    (CodeSystem.HCPCS, "HCPCS"),
    (CodeSystem.X12_SERVICE_TYPE, "X12 service type"),
    (CodeSystem.REVENUE, "Revenue code"),
]


def normalize_codes(codes) -> list[str]:
    return [str(c).strip().upper() for c in (codes or []) if str(c).strip()]


class VersionedRule(models.Model):
    """What every rule type shares: a stable key, an immutable numbered version, a current flag."""

    key = models.SlugField(
        max_length=60, help_text="Stable name shared by every version of this rule."
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    is_current = models.BooleanField(default=True, editable=False)
    is_active = models.BooleanField(
        default=True, help_text="Untick to retire the rule; its versions stay on record."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    rule_type: str = ""

    class Meta:
        abstract = True
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="%(class)s_key_version"),
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(is_current=True), name="%(class)s_one_current"
            ),
        ]

    def save(self, *args, **kwargs):
        # A version is a record of what was decided with it: only its `is_current` flag may
        # change after it is written (rule_revise writes the next version instead).
        update_fields = kwargs.get("update_fields")
        if not self._state.adding and set(update_fields or ()) != {"is_current"}:
            raise ValueError(f"{type(self).__name__} versions are immutable; revise the rule.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"{type(self).__name__} versions are kept; untick 'is active' instead.")

    def validate_new_key(self) -> None:
        if (
            self._state.adding
            and self.version == 1
            and self.key
            and type(self).objects.filter(key=self.key).exists()
        ):
            raise ValidationError({"key": "A rule with this key exists; edit that rule instead."})

    @property
    def label(self) -> str:
        """The rule's own words, without the version."""
        return getattr(self, "name", "") or getattr(self, "description", "") or self.key

    @property
    def ref(self) -> dict:
        """How evaluations and decisions cite this rule."""
        return {"type": self.rule_type, "id": self.pk, "key": self.key, "version": self.version}


class AuthRequirementRule(VersionedRule):
    """Needs assessment: does a service need prior authorization? The first active rule (by
    `order`) whose conditions all match a service line decides; empty conditions match anything.
    Without a matching rule, authorization is required."""

    rule_type = "needs_assessment"

    name = models.CharField(max_length=150)
    order = models.PositiveSmallIntegerField(default=100, help_text="Lower is tried first.")
    code_system = models.CharField(
        max_length=20, blank=True, choices=CODE_SYSTEM_CHOICES, help_text="Empty: any."
    )
    code_from = models.CharField(
        max_length=10, blank=True, help_text="A code, or the first code of a range. Empty: any."
    )
    code_to = models.CharField(
        max_length=10,
        blank=True,
        help_text="The last code of a range (inclusive). Empty: one code.",
    )
    line_of_business = models.CharField(
        max_length=30, blank=True, choices=LineOfBusiness.choices, help_text="Empty: any."
    )
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    places_of_service = models.JSONField(
        default=list, blank=True, help_text="CMS place-of-service codes, e.g. 11, 22. Empty: any."
    )
    network_status = models.CharField(
        max_length=3,
        blank=True,
        choices=[("in", "In network"), ("out", "Out of network")],
        help_text="Of the servicing provider. Empty: any.",
    )
    requires_auth = models.BooleanField(
        "requires authorization", help_text="What this rule answers when it matches."
    )

    class Meta(VersionedRule.Meta):
        verbose_name = "needs-assessment rule"
        ordering = ["order", "key", "-version"]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    def clean(self) -> None:
        self.validate_new_key()
        self.code_from = self.code_from.strip().upper()
        self.code_to = self.code_to.strip().upper()
        self.places_of_service = normalize_codes(self.places_of_service)
        if self.code_to and not self.code_from:
            raise ValidationError({"code_from": "Give the first code of the range."})
        if self.code_to and (
            len(self.code_to) != len(self.code_from) or self.code_to < self.code_from
        ):
            raise ValidationError(
                {
                    "code_to": "The range must end at or after its first code, with as many "
                    "characters."
                }
            )

    def code_matches(self, code: str) -> bool:
        code = code.strip().upper()
        if not self.code_from:
            return True
        if not self.code_to:
            return code == self.code_from
        # Codes of one system share a fixed width (CPT 5, HCPCS 5, revenue 4), so a range is a
        # string range between codes of the same length.
        return len(code) == len(self.code_from) and self.code_from <= code <= self.code_to

    @property
    def code_label(self) -> str:
        if not self.code_from:
            return "any code"
        return f"{self.code_from}–{self.code_to}" if self.code_to else self.code_from


class ChecklistRequirement(VersionedRule):
    """Document checklist: a document a request needs, by service category, review setting,
    request type and optionally specific service codes. Every active current rule that matches
    adds its item (intake.services.receipt.checklist_build)."""

    rule_type = "checklist"

    category = models.ForeignKey(
        ServiceCategory,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="checklist_requirements",
        help_text="Empty: any category.",
    )
    review_setting = models.CharField(
        max_length=20,
        blank=True,
        choices=CareRequest.ReviewSetting.choices,
        help_text="Empty: any setting.",
    )
    request_type = models.CharField(
        max_length=15,
        blank=True,
        choices=CareRequest.RequestType.choices,
        help_text="Empty: any request type.",
    )
    service_codes = models.JSONField(
        default=list, blank=True, help_text="Only for these service codes. Empty: any."
    )
    document_kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    description = models.CharField(max_length=200)
    required = models.BooleanField(default=True)

    class Meta(VersionedRule.Meta):
        verbose_name = "document-checklist rule"
        ordering = ["category", "document_kind", "key", "-version"]

    def __str__(self) -> str:
        return f"{self.description} v{self.version}"

    def clean(self) -> None:
        self.validate_new_key()
        self.service_codes = normalize_codes(self.service_codes)


class AutoApprovalRule(VersionedRule):
    """Auto-approval: a service line in the rule's scope (plan, category, codes) is approved at
    receipt when every condition the rule sets holds. The engine never denies: a line that misses
    a condition goes to people."""

    rule_type = "auto_approval"

    name = models.CharField(max_length=150)
    order = models.PositiveSmallIntegerField(default=100, help_text="Lower is tried first.")
    line_of_business = models.CharField(
        max_length=30, blank=True, choices=LineOfBusiness.choices, help_text="Empty: any."
    )
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        ServiceCategory,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty: any category (then list service codes).",
    )
    code_system = models.CharField(
        max_length=20, blank=True, choices=CODE_SYSTEM_CHOICES, help_text="Empty: any."
    )
    service_codes = models.JSONField(default=list, blank=True, help_text="Empty: any code.")
    diagnosis_codes = models.JSONField(
        default=list,
        blank=True,
        help_text="ICD-10-CM codes; one of them must be on the request. A code also matches the "
        "codes below it (M54 matches M54.16). Empty: no diagnosis condition.",
    )
    max_units = models.PositiveIntegerField(
        null=True, blank=True, help_text="At most this many units. Empty: no limit."
    )
    require_in_network = models.BooleanField(
        default=True, help_text="The servicing provider must be in network."
    )
    require_eligible = models.BooleanField(
        default=True, help_text="The member's coverage must be verified for the service."
    )
    require_checklist_complete = models.BooleanField(
        default=True, help_text="Every required document must be on file at receipt."
    )
    # A slug, not a foreign key: criteria sets belong to review, which sits above intake.
    attested_criteria_set = models.CharField(
        max_length=60,
        blank=True,
        help_text="Slug of a criteria set (e.g. lumbar-spine-mri): the provider must have "
        "attested every criterion of it as met in a DTR questionnaire response sent with the "
        "request. Empty: no such condition.",
    )

    class Meta(VersionedRule.Meta):
        verbose_name = "auto-approval rule"
        ordering = ["order", "key", "-version"]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    def clean(self) -> None:
        self.validate_new_key()
        self.service_codes = normalize_codes(self.service_codes)
        self.diagnosis_codes = [normalize_icd10(c) for c in normalize_codes(self.diagnosis_codes)]
        if self.category_id is None and not self.service_codes:
            raise ValidationError(
                "Limit the rule to a service category or to service codes: an auto-approval "
                "rule for every service is too broad."
            )


class RuleEvaluation(AppendOnlyModel):
    """One run of the engine on a case: what it decided, which rule versions fired and why."""

    class Stage(models.TextChoices):
        RECEIPT = "receipt", "Receipt"
        TRIAGE = "triage", "Triage"

    class Outcome(models.TextChoices):
        APPROVED = "approved", "Auto-approved"
        NOT_REQUIRED = "not_required", "Closed: no authorization required"
        INTAKE = "intake", "Left for intake"
        ROUTED = "routed", "Routed to a queue"
        UNROUTED = "unrouted", "No queue matched"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    care_request = models.ForeignKey(
        CareRequest, on_delete=models.PROTECT, related_name="rule_evaluations"
    )
    stage = models.CharField(max_length=10, choices=Stage.choices)
    at = models.DateTimeField(db_index=True)
    outcome = models.CharField(max_length=15, choices=Outcome.choices)
    queue = models.ForeignKey(
        Queue, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    fired = models.JSONField(
        default=list, help_text="[{type, id, key, version, name, line, result}] in firing order."
    )
    rules_version = models.JSONField(
        default=dict, help_text="{rule type: {key: version}} of every rule that fired."
    )
    explanation = models.JSONField(default=list, help_text="Plain-language lines, in order.")

    class Meta:
        ordering = ["-at", "-stage"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.get_outcome_display()}"


class DuplicateFlag(models.Model):
    """A possible duplicate found at receipt: the same member and service with overlapping dates
    on another open or approved request. Intake sees it before accepting the case."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    care_request = models.ForeignKey(
        CareRequest, on_delete=models.CASCADE, related_name="duplicate_flags"
    )
    other = models.ForeignKey(CareRequest, on_delete=models.CASCADE, related_name="+")
    code_system = models.CharField(max_length=20, choices=CODE_SYSTEM_CHOICES)
    code = models.CharField(max_length=10)
    detected_at = models.DateTimeField()

    class Meta:
        ordering = ["detected_at"]
        constraints = [
            models.UniqueConstraint(fields=["care_request", "other"], name="duplicate_flag_once"),
        ]

    def __str__(self) -> str:
        return f"{self.care_request} may duplicate {self.other}"
