"""django-oauth-toolkit's models in the admin, on the house rules (um_portal/audit/admin.py).

The registered apps are configuration: the manager adds and edits them, and every edit is
audited. Tokens, authorization codes and ID tokens are credentials nobody edits by hand: they
are read-only here (the toolkit's masking kept), and the one thing staff may do with them —
revoke — leaves an audit event naming who revoked how many.
"""

from django.contrib import admin
from oauth2_provider import admin as toolkit_admin
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)

from um_portal.audit.admin import ConfigAuditMixin, ReadOnlyAdmin
from um_portal.audit.services import audit_event


class ApplicationAdmin(ConfigAuditMixin, toolkit_admin.ApplicationAdmin):
    def audit_label(self, obj):
        # The name, never the client secret.
        return str(obj.pk), obj.name[:120]


class RevocableCredentialAdmin(ReadOnlyAdmin):
    """A credential row: seen and revoked, never added, changed or deleted in the admin."""

    @admin.action(description="Revoke the selected tokens")
    def revoke_tokens(self, request, queryset):
        count = len(queryset)
        super().revoke_tokens(request, queryset)
        audit_event(
            actor=request.user,
            action="oauth.tokens_revoked",
            summary=f"{count} {queryset.model._meta.verbose_name_plural} revoked in the admin.",
            data={"model": queryset.model._meta.label_lower, "count": count},
        )


class AccessTokenAdmin(RevocableCredentialAdmin, toolkit_admin.AccessTokenAdmin):
    pass


class RefreshTokenAdmin(RevocableCredentialAdmin, toolkit_admin.RefreshTokenAdmin):
    pass


class GrantAdmin(ReadOnlyAdmin, toolkit_admin.GrantAdmin):
    pass


class IDTokenAdmin(ReadOnlyAdmin, toolkit_admin.IDTokenAdmin):
    pass


# The toolkit registered its own admins when its app (listed before this one) was discovered.
for model, model_admin in (
    (get_application_model(), ApplicationAdmin),
    (get_access_token_model(), AccessTokenAdmin),
    (get_refresh_token_model(), RefreshTokenAdmin),
    (get_grant_model(), GrantAdmin),
    (get_id_token_model(), IDTokenAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, model_admin)
