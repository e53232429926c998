"""CDS Hooks clients are configuration: the manager registers them, every edit is audited
(um_portal/audit/admin.py), and the JWK Set is public keys only (CdsClient.clean)."""

from django.contrib import admin

from um_portal.audit.admin import ConfigAuditMixin

from .models import CdsClient


@admin.register(CdsClient)
class CdsClientAdmin(ConfigAuditMixin, admin.ModelAdmin):
    list_display = ["name", "issuer", "organization", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "issuer"]
    autocomplete_fields = []
    raw_id_fields = ["organization", "acting_user"]

    def audit_label(self, obj):
        return str(obj.pk), obj.name[:120]
