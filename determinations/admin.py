from django.contrib import admin

from .models import AppealPolicy, AppealTurnaround, DenialReason, Determination, Letter


@admin.register(DenialReason)
class DenialReasonAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "requires_criterion", "is_active", "sort_order"]
    list_editable = ["is_active", "sort_order"]


@admin.register(AppealPolicy)
class AppealPolicyAdmin(admin.ModelAdmin):
    list_display = ["line_of_business", "appeal_days", "appeals_phone"]


@admin.register(AppealTurnaround)
class AppealTurnaroundAdmin(admin.ModelAdmin):
    list_display = ["line_of_business", "service_timing", "priority", "hours", "source"]
    list_filter = ["line_of_business", "service_timing", "priority"]


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    """Read-only view of the outbox; letters change state only through the pipeline."""

    list_display = ["id", "template", "recipient", "language", "status", "attempts", "sent_at"]
    list_filter = ["status", "template", "recipient"]
    readonly_fields = [f.name for f in Letter._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Determination)
class DeterminationAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "outcome", "source", "reviewer_name", "decided_at"]
    list_filter = ["outcome", "kind", "source"]
    readonly_fields = [f.name for f in Determination._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
