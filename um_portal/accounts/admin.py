from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import ProviderOrganization, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (
        ("UM Portal", {"fields": ("provider_organization", "credentials", "phone", "time_zone")}),
    )
    list_display = ("username", "first_name", "last_name", "credentials", "provider_organization")
    list_filter = ("groups", "is_active")


@admin.register(ProviderOrganization)
class ProviderOrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "tax_id", "email")
    search_fields = ("name", "tax_id")
