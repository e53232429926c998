from django.contrib import admin

from um_portal.audit.admin import AccessLoggedAdminMixin, ConfigAdmin, ReadOnlyAdmin, ReadOnlyInline

from .models import ExpectedLengthOfStay, LevelOfCareSegment, Stay, StayReview


@admin.register(ExpectedLengthOfStay)
class ExpectedLengthOfStayAdmin(ConfigAdmin):
    list_display = (
        "drg",
        "diagnosis_prefix",
        "description",
        "geometric_mean_days",
        "is_demo_value",
    )
    list_filter = ("is_demo_value",)
    search_fields = ("drg", "diagnosis_prefix", "description")


class SegmentInline(ReadOnlyInline):
    model = LevelOfCareSegment
    readonly_fields = ("level_of_care", "starts_on", "recorded_by", "recorded_at", "note")


class ReviewInline(ReadOnlyInline):
    model = StayReview
    readonly_fields = (
        "sequence",
        "care_request",
        "extends",
        "level_of_care",
        "days_requested",
        "next_review_date",
    )


@admin.register(Stay)
class StayAdmin(AccessLoggedAdminMixin, ReadOnlyAdmin):
    """Read-only: stays change through their services (admission, extension, discharge)."""

    access_member_attr = "member_id"

    list_display = ("member", "facility", "level_of_care", "admitted_at", "status")
    list_filter = ("status", "level_of_care", "admission_type")
    inlines = [SegmentInline, ReviewInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
