from django.contrib import admin

from .models import AccessLog, AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records nobody edits in the admin (append-only logs, stored evaluations)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ("at", "user", "case_id", "action", "object_id")
    list_filter = ("action",)
    search_fields = ("case_id",)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "case_id", "summary")
    list_filter = ("action",)
    search_fields = ("case_id",)
