from django.contrib import admin

from um_portal.audit.admin import AccessLoggedAdminMixin, ConfigAdmin, ReadOnlyAdmin

from .models import Referral, ReferralRule


@admin.register(ReferralRule)
class ReferralRuleAdmin(ConfigAdmin):
    """Which authorizations and stays refer the member to care management."""

    list_display = ("name", "kind", "codes", "service_category", "days", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "codes")


@admin.register(Referral)
class ReferralAdmin(AccessLoggedAdminMixin, ReadOnlyAdmin):
    """Read-only: referrals change through the care-management queue's services."""

    access_member_attr = "member_id"
    access_case_attr = "care_request_id"
    list_display = ("member", "rule", "status", "owner", "created_at")
    list_filter = ("status", "rule")
    list_select_related = ("member", "rule", "owner")
