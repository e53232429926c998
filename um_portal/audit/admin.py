"""Admin building blocks: read-only records, and configuration whose every admin edit is audited.

The admin must not be a back door around the services: clinical records (cases, their lines,
documents, decisions, letters, logs) are read-only there for everyone, superusers included.
"""

from operator import attrgetter

from django.contrib import admin
from django.db.models import Model

from .models import AccessLog, AuditEvent
from .services import Channel, audit_access_many, audit_event


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records nobody edits in the admin (clinical records, append-only logs, evaluations)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def _as_list(value) -> list:
    return list(value) if isinstance(value, list | tuple) else [value]


class AccessLoggedAdminMixin:
    """The admin's list and change pages of PHI log every case (or member) they show, like the
    workspaces do: one row each, one INSERT per page (45 CFR 164.312(b))."""

    # The attribute of a row holding its case's id, or its member's id; dotted through a
    # relation ("determination.care_request_id": add it to list_select_related).
    access_case_attr: str = ""
    access_member_attr: str = ""

    def access_case_id(self, row):
        return attrgetter(self.access_case_attr)(row) if self.access_case_attr else None

    def access_member_id(self, row):
        return attrgetter(self.access_member_attr)(row) if self.access_member_attr else None

    def _log_rows(self, request, rows, action: str) -> None:
        rows = [row for row in rows if row is not None]
        case_ids = [i for r in rows for i in _as_list(self.access_case_id(r))]
        member_ids = [self.access_member_id(r) for r in rows]
        audit_access_many(
            user=request.user,
            action=action,
            channel=Channel.ADMIN,
            case_ids=[i for i in case_ids if i is not None],
            member_ids=[i for i in member_ids if i is not None],
        )

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            # Evaluated here, cached for the template: no second query.
            self._log_rows(request, list(changelist.result_list), "admin_list")
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        original = getattr(response, "context_data", {}).get("original")
        if original is not None:
            self._log_rows(request, [original], "admin_view")
        return response


class CaseRecordAdmin(AccessLoggedAdminMixin, ReadOnlyAdmin):
    """A record of a case (a note, a decision, a letter, an appeal...): read-only, and every
    list or change page showing it logs the case in the access log."""

    access_case_attr = "care_request_id"


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
    list_display = ("at", "user", "channel", "case_id", "member_id", "action", "object_id")
    list_filter = ("channel", "action")
    search_fields = ("case_id",)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor", "action", "case_id", "summary")
    list_filter = ("action",)
    search_fields = ("case_id",)
