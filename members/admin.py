"""The members' data-sharing choices in the admin: read-only and access-logged (they name a
member); members change them on /member/, staff on the member's sign-in page."""

from django.contrib import admin

from um_portal.audit.admin import AccessLoggedAdminMixin, ReadOnlyAdmin

from .models import DataSharingChoice


@admin.register(DataSharingChoice)
class DataSharingChoiceAdmin(AccessLoggedAdminMixin, ReadOnlyAdmin):
    access_member_attr = "member_id"
    list_display = (
        "member",
        "provider_access_opted_out",
        "provider_access_changed_at",
        "payer_to_payer_opted_in",
        "payer_to_payer_changed_at",
    )
    list_select_related = ("member",)
