"""Admin building blocks: read-only records, and configuration whose every admin edit is audited.

The admin must not be a back door around the services: clinical records (cases, their lines,
documents, decisions, letters, logs) are read-only there for everyone, superusers included.
"""

from django.contrib import admin
from django.db.models import Model

from .models import AccessLog, AuditEvent
from .services import audit_event


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records nobody edits in the admin (clinical records, append-only logs, evaluations)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """An inline shown with its parent, never edited, added to or deleted from there."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ConfigAuditMixin:
    """Every add, change and delete of configuration made in the admin writes an AuditEvent
    (who changed which rule, queue or clock, and what), next to the admin's own LogEntry.
    Used by every configuration ModelAdmin."""

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._audit_config(request, obj, "added", message)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._audit_config(request, obj, "changed", message)
        return entry

    def log_deletions(self, request, queryset):
        entries = super().log_deletions(request, queryset)
        for obj in queryset:
            self._audit_config(request, obj, "deleted", [])
        return entries

    def audit_label(self, obj: Model) -> tuple[str, str]:
        """(id, name) the audit event records; override when either is a secret."""
        return str(obj.pk), str(obj)[:120]

    def _audit_config(self, request, obj, verb: str, message) -> None:
        object_id, label = self.audit_label(obj)
        audit_event(
            actor=request.user,
            action=f"config.{verb}",
            summary=f"{obj._meta.verbose_name} {label} {verb} in the admin.",
            data={
                "model": obj._meta.label_lower,
                "object_id": object_id,
                "object": label,
                "change": message if isinstance(message, list | str) else str(message),
            },
        )


class ConfigAdmin(ConfigAuditMixin, admin.ModelAdmin):
    """A ModelAdmin for configuration: editable, every edit audited."""


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
