from django.contrib import admin

from um_portal.audit.admin import (
    AccessLoggedAdminMixin,
    CaseRecordAdmin,
    ConfigAdmin,
    ReadOnlyAdmin,
    ReadOnlyInline,
)

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
    ServiceTranslation,
    StatusEvent,
    TurnaroundStandard,
)


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(ConfigAdmin):
    list_display = ("name", "name_es", "code")
    search_fields = ("name", "name_es", "code")


@admin.register(ServiceTranslation)
class ServiceTranslationAdmin(ConfigAdmin):
    """Spanish service names: a Spanish letter naming a service without one is refused by the
    letter check until a row is added here (then resend it from the letters page)."""

    list_display = ("code_system", "code", "name_es")
    list_filter = ("code_system",)
    search_fields = ("code", "name_es")


@admin.register(Plan)
class PlanAdmin(ConfigAdmin):
    list_display = ("name", "line_of_business", "state")
    list_filter = ("line_of_business",)
    filter_horizontal = ("covered_categories",)


class CoverageInline(ReadOnlyInline):
    model = Coverage


@admin.register(Member)
class MemberAdmin(AccessLoggedAdminMixin, ReadOnlyAdmin):
    """Read-only: members and coverages change through intake (eligibility, verification)."""

    access_member_attr = "pk"
    list_display = ("last_name", "first_name", "birth_date", "preferred_language")
    search_fields = ("last_name", "first_name", "coverages__member_number")
    inlines = [CoverageInline]


@admin.register(Provider)
class ProviderAdmin(ConfigAdmin):
    list_display = ("name", "npi", "kind", "specialty", "network_status", "organization")
    list_filter = ("kind", "network_status")
    search_fields = ("name", "npi")


@admin.register(TurnaroundStandard)
class TurnaroundStandardAdmin(ConfigAdmin):
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


class ServiceLineInline(ReadOnlyInline):
    model = ServiceLine


class DiagnosisInline(ReadOnlyInline):
    model = Diagnosis


class StatusEventInline(ReadOnlyInline):
    model = StatusEvent


@admin.register(CareRequest)
class CareRequestAdmin(AccessLoggedAdminMixin, ReadOnlyAdmin):
    """Read-only: a case, its lines and diagnoses change only through the services and their
    transitions (a decided line edited here would contradict its line decision and letter), and
    nothing clinical is deleted (void and withdraw exist)."""

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
    access_case_attr = "pk"


@admin.register(Document)
class DocumentAdmin(AccessLoggedAdminMixin, ReadOnlyAdmin):
    list_display = ("original_name", "kind", "care_request", "uploaded_at")
    list_select_related = ("care_request",)
    access_case_attr = "care_request_id"


admin.site.register(
    [ChecklistItem, EligibilityCheck, InformationRequest, CaseNote], CaseRecordAdmin
)
admin.site.site_header = "UM Portal configuration"
