"""The Provider Access API in the admin, on the house rules (um_portal/audit/admin.py): backend
clients and attribution groups are configuration (edited, audited); attributions and exports
name members, so they are read-only and every page showing one is in the access log."""

from django.contrib import admin
from django.db import models

from um_portal.audit.admin import AccessLoggedAdminMixin, ConfigAdmin, ReadOnlyAdmin

from .models import Attribution, AttributionGroup, BackendClient, BulkExport
from .services import backend_client_accounts


@admin.register(BackendClient)
class BackendClientAdmin(ConfigAdmin):
    list_display = ("name", "kind", "organization", "client_id", "active")
    list_filter = ("kind", "active")
    fields = ("name", "kind", "organization", "client_id", "jwks", "jwks_url", "scopes", "active")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        if not change:
            obj.application, obj.user = backend_client_accounts(
                name=obj.name, organization=obj.organization
            )
        super().save_model(request, obj, form, change)


@admin.register(AttributionGroup)
class AttributionGroupAdmin(ConfigAdmin):
    list_display = ("name", "organization")


@admin.register(Attribution)
class AttributionAdmin(AccessLoggedAdminMixin, ReadOnlyAdmin):
    access_member_attr = "member_id"
    list_display = ("member", "group", "start", "end", "source")
    list_filter = ("source",)
    list_select_related = ("member", "group")


@admin.register(BulkExport)
class BulkExportAdmin(ReadOnlyAdmin):
    # Names a client and a group, never a member: the files are not reachable from here.
    list_display = ("pk", "client", "group", "status", "requested_at", "expires_at")
    list_filter = ("status",)
