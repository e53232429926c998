from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.admin import TokenAdmin as BaseTokenAdmin
from rest_framework.authtoken.models import TokenProxy

from um_portal.audit.admin import ConfigAuditMixin

from .models import ProviderOrganization, User
from .services import provider_organization_group, provider_user_set_organization


@admin.register(User)
class UserAdmin(ConfigAuditMixin, BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (
        ("UM Portal", {"fields": ("provider_organization", "credentials", "phone", "time_zone")}),
    )
    list_display = ("username", "first_name", "last_name", "credentials", "provider_organization")
    list_filter = ("groups", "is_active")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Roles are the only grant: no one below a superuser hands out superuser status or
            # single permissions (not even to themselves).
            fields += ["is_superuser", "user_permissions"]
        return fields

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":
            # Roles only: an organisation's group follows the "Provider organization" field.
            kwargs["queryset"] = Group.objects.filter(provider_organization__isnull=True)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change and "provider_organization" in form.changed_data:
            # Moving a user between organisations is the service's job (group and audit).
            obj.provider_organization_id = form.initial.get("provider_organization")
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Saving the role list drops the organisation's group; the service puts it back.
        provider_user_set_organization(
            actor=request.user,
            user=form.instance,
            organization=form.cleaned_data.get(
                "provider_organization", form.instance.provider_organization
            ),
        )


@admin.register(ProviderOrganization)
class ProviderOrganizationAdmin(ConfigAuditMixin, admin.ModelAdmin):
    list_display = ("name", "tax_id", "email")
    search_fields = ("name", "tax_id")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        provider_organization_group(organization=obj)


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(ConfigAuditMixin, BaseGroupAdmin):
    pass


admin.site.unregister(TokenProxy)


@admin.register(TokenProxy)
class TokenAdmin(ConfigAuditMixin, BaseTokenAdmin):
    def audit_label(self, obj):
        # A token's key is its primary key and its str(): never write it to the audit trail.
        return str(obj.user_id), f"API token of {obj.user}"


# Authenticators are enrolled and replaced only on the two-factor pages (audited there); the
# admin's device pages would let a user-manager read or swap someone's TOTP secret.
for _device in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device):
        admin.site.unregister(_device)
