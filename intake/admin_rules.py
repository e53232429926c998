"""Admin for the rules (DESIGN §4): a UM manager edits them; every edit is a new version.

Saving a change never updates the row: `rule_revise` writes the next version and the admin lands
on it. Replaced versions open read-only, and no version can be deleted (evaluations and decisions
cite them); untick "is active" to retire a rule.
"""

from django import forms
from django.contrib import admin, messages

from um_portal.audit.admin import CaseRecordAdmin, ConfigAuditMixin

from .models import (
    AuthRequirementRule,
    AutoApprovalRule,
    ChecklistRequirement,
    DuplicateFlag,
    Queue,
    RuleEvaluation,
    Skill,
)
from .rules.versioning import rule_create, rule_revise


class CommaListField(forms.CharField):
    """A list of codes typed as `72148, 72149` instead of JSON."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value

    def to_python(self, value):
        value = super().to_python(value) or ""
        return [
            part.strip().upper() for part in value.replace("\n", ",").split(",") if part.strip()
        ]


def codes_field(label: str, help_text: str) -> CommaListField:
    return CommaListField(label=label, required=False, help_text=help_text)


class VersionedRuleAdmin(ConfigAuditMixin, admin.ModelAdmin):
    list_filter = ("is_current", "is_active")
    readonly_fields = ("version", "is_current", "created_at", "created_by")
    search_fields = ("key",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("created_by")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "key"] if obj is not None else fields

    def has_change_permission(self, request, obj=None):
        # A replaced version is history: it opens read-only.
        if obj is not None and not obj.is_current:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None else super().get_prepopulated_fields(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            rule_revise(rule=obj, actor=request.user)
            messages.info(request, f"Saved as version {obj.version}; earlier versions are kept.")
        else:
            rule_create(rule=obj, actor=request.user)


class VersionedRuleForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if (
            instance.pk
            and not type(instance).objects.filter(pk=instance.pk, is_current=True).exists()
        ):
            raise forms.ValidationError(
                "Someone saved a newer version of this rule meanwhile; open the current version."
            )
        return cleaned


class AuthRequirementRuleForm(VersionedRuleForm):
    places_of_service = codes_field("Places of service", "e.g. 11, 22. Empty: any.")

    class Meta:
        model = AuthRequirementRule
        fields = [
            "name",
            "key",
            "order",
            "code_system",
            "code_from",
            "code_to",
            "line_of_business",
            "plan",
            "places_of_service",
            "network_status",
            "requires_auth",
            "is_active",
        ]


@admin.register(AuthRequirementRule)
class AuthRequirementRuleAdmin(VersionedRuleAdmin):
    form = AuthRequirementRuleForm
    list_display = (
        "name",
        "key",
        "version",
        "order",
        "code_system",
        "code_from",
        "code_to",
        "line_of_business",
        "plan",
        "network_status",
        "requires_auth",
        "is_active",
        "is_current",
    )
    list_filter = ("is_current", "is_active", "requires_auth", "line_of_business", "code_system")
    search_fields = ("key", "name", "code_from")
    prepopulated_fields = {"key": ("name",)}


class ChecklistRequirementForm(VersionedRuleForm):
    service_codes = codes_field("Service codes", "Only for these codes. Empty: any.")

    class Meta:
        model = ChecklistRequirement
        fields = [
            "description",
            "key",
            "category",
            "review_setting",
            "request_type",
            "service_codes",
            "document_kind",
            "required",
            "is_active",
        ]


@admin.register(ChecklistRequirement)
class ChecklistRequirementAdmin(VersionedRuleAdmin):
    form = ChecklistRequirementForm
    list_display = (
        "description",
        "key",
        "version",
        "category",
        "review_setting",
        "request_type",
        "document_kind",
        "required",
        "is_active",
        "is_current",
    )
    list_filter = ("is_current", "is_active", "category", "required")
    search_fields = ("key", "description")
    prepopulated_fields = {"key": ("description",)}


class AutoApprovalRuleForm(VersionedRuleForm):
    service_codes = codes_field("Service codes", "e.g. E0601. Empty: any code in the category.")
    diagnosis_codes = codes_field(
        "Diagnosis codes", "ICD-10-CM, e.g. G47.33, M54 (covers the codes below it). Empty: any."
    )

    class Meta:
        model = AutoApprovalRule
        fields = [
            "name",
            "key",
            "order",
            "line_of_business",
            "plan",
            "category",
            "code_system",
            "service_codes",
            "diagnosis_codes",
            "max_units",
            "require_in_network",
            "require_eligible",
            "require_checklist_complete",
            "attested_criteria_set",
            "is_active",
        ]


@admin.register(AutoApprovalRule)
class AutoApprovalRuleAdmin(VersionedRuleAdmin):
    form = AutoApprovalRuleForm
    list_display = (
        "name",
        "key",
        "version",
        "order",
        "category",
        "max_units",
        "require_in_network",
        "require_eligible",
        "require_checklist_complete",
        "is_active",
        "is_current",
    )
    list_filter = ("is_current", "is_active", "category")
    search_fields = ("key", "name")
    prepopulated_fields = {"key": ("name",)}


@admin.register(Queue)
class QueueAdmin(ConfigAuditMixin, admin.ModelAdmin):
    """Queues are the routing rules: triage puts a case in the first active queue, by order,
    whose categories, settings and priority match it."""

    list_display = ("name", "code", "order", "priority", "lead", "is_active")
    list_filter = ("is_active",)
    filter_horizontal = ("service_categories", "required_skills")
    raw_id_fields = ("lead",)
    prepopulated_fields = {"code": ("name",)}


@admin.register(Skill)
class SkillAdmin(ConfigAuditMixin, admin.ModelAdmin):
    list_display = ("name", "code")
    prepopulated_fields = {"code": ("name",)}


@admin.register(RuleEvaluation)
class RuleEvaluationAdmin(CaseRecordAdmin):
    list_display = ("care_request", "stage", "outcome", "at")
    list_filter = ("stage", "outcome")
    search_fields = ("care_request__reference",)
    list_select_related = ("care_request",)


@admin.register(DuplicateFlag)
class DuplicateFlagAdmin(CaseRecordAdmin):
    def access_case_id(self, row):
        return [row.care_request_id, row.other_id]  # a row shows both cases

    list_display = ("care_request", "other", "code", "detected_at")
    search_fields = ("care_request__reference", "other__reference")
    list_select_related = ("care_request", "other")
