from django.contrib import admin

from . import admin_rules  # noqa: F401 - registers the rule admins
from .models import (
    CareRequest,
    CaseNote,
    ChecklistItem,
    Coverage,
    Diagnosis,
    Document,
    EligibilityCheck,
    InformationRequest,
    Member,
    Plan,
    Provider,
    ServiceCategory,
    ServiceLine,
    StatusEvent,
    TurnaroundStandard,
)


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("name", "line_of_business", "state")
    list_filter = ("line_of_business",)
    filter_horizontal = ("covered_categories",)


class CoverageInline(admin.TabularInline):
    model = Coverage
    extra = 0


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ("last_name", "first_name", "birth_date", "preferred_language")
    search_fields = ("last_name", "first_name", "coverages__member_number")
    inlines = [CoverageInline]


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ("name", "npi", "kind", "specialty", "network_status", "organization")
    list_filter = ("kind", "network_status")
    search_fields = ("name", "npi")


@admin.register(TurnaroundStandard)
class TurnaroundStandardAdmin(admin.ModelAdmin):
    list_display = (
        "line_of_business",
        "request_type",
        "priority",
        "timing",
        "hours",
        "extension_days",
        "source",
    )
    list_filter = ("request_type", "line_of_business")


class ServiceLineInline(admin.TabularInline):
    model = ServiceLine
    extra = 0
    readonly_fields = ("decision", "approved_units", "approved_start", "approved_end")


class DiagnosisInline(admin.TabularInline):
    model = Diagnosis
    extra = 0


class StatusEventInline(admin.TabularInline):
    model = StatusEvent
    extra = 0
    can_delete = False
    readonly_fields = ("transition", "from_status", "to_status", "actor", "at", "note")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CareRequest)
class CareRequestAdmin(admin.ModelAdmin):
    """Read-mostly: the workflow changes only through the workspaces' actions."""

    list_display = ("reference", "status", "priority", "channel", "received_at", "due_at")
    list_filter = ("status", "priority", "channel", "review_setting")
    search_fields = ("reference", "auth_number", "external_id")
    readonly_fields = (
        "status",
        "reference",
        "received_at",
        "due_at",
        "decided_at",
        "auth_number",
        "pended_from",
    )
    raw_id_fields = (
        "member",
        "coverage",
        "requesting_provider",
        "servicing_provider",
        "facility",
        "assigned_to",
        "created_by",
    )
    inlines = [ServiceLineInline, DiagnosisInline, StatusEventInline]


admin.site.register([ChecklistItem, Document, EligibilityCheck, InformationRequest, CaseNote])
admin.site.site_header = "UM Portal configuration"
