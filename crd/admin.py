"""CDS Hooks clients are configuration: the manager registers them, every edit is audited
(um_portal/audit/admin.py), and the JWK Set is public keys only (CdsClient.clean)."""

from django.contrib import admin
from django.db import models

from um_portal.audit.admin import CaseRecordAdmin, ConfigAuditMixin

from .models import AttestedCriteria, CdsClient


@admin.register(CdsClient)
class CdsClientAdmin(ConfigAuditMixin, admin.ModelAdmin):
    list_display = ["name", "issuer", "organization", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "issuer"]
    raw_id_fields = ["organization", "acting_user"]
    # A JWKS URL is fetched over https only (crd.auth); say so when a scheme is left out.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def audit_label(self, obj):
        return str(obj.pk), obj.name[:120]


@admin.register(AttestedCriteria)
class AttestedCriteriaAdmin(CaseRecordAdmin):
    """Read-only and access-logged: a provider's answers about a member's case, written only by
    crd.attestations."""

    list_display = ("care_request", "criteria_set", "source", "recorded_at")
    list_filter = ("source",)
    raw_id_fields = ("care_request", "criteria_set", "recorded_by")
