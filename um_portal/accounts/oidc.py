"""Single sign-on for staff through OpenID Connect (mozilla-django-oidc), off unless OIDC_ENABLED.

The identity provider's groups claim decides the user's roles at every sign-in, so removing
someone from a group at the IdP takes their role away at their next sign-in. Accounts are keyed
by the IdP's subject (`sub`), never by a username or e-mail a person could choose to match a
local account. Providers do not sign in this way: only staff roles are mapped.
"""

import json

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.http import Http404
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from um_portal.audit.services import audit_event

from .models import User
from .roles import STAFF_ROLES

USERNAME_PREFIX = "oidc-"


def group_role_map() -> dict[str, str]:
    """IdP group name → role name: OIDC_GROUP_ROLES (JSON object), plus every staff role's own
    name mapped to itself."""
    mapping = {role: role for role in STAFF_ROLES}
    mapping.update(json.loads(settings.OIDC_GROUP_ROLES or "{}"))
    return {group: role for group, role in mapping.items() if role in STAFF_ROLES}


def roles_from_claims(claims: dict) -> set[str]:
    groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    mapping = group_role_map()
    return {mapping[g] for g in groups if isinstance(g, str) and g in mapping}


@transaction.atomic
def user_roles_sync_from_sso(*, user: User, roles: set[str]) -> None:
    """Make the user's staff roles exactly `roles`; organisation groups are left alone."""
    current = set(user.groups.filter(name__in=STAFF_ROLES).values_list("name", flat=True))
    if current == roles:
        return
    user.groups.remove(*Group.objects.filter(name__in=current - roles))
    user.groups.add(*Group.objects.filter(name__in=roles - current))
    user.forget_groups()
    audit_event(
        actor=None,
        action="sso.roles_changed",
        summary=f"Roles of {user.username} from the identity provider: {', '.join(sorted(roles))}",
        data={"user": str(user.pk), "from": sorted(current), "to": sorted(roles)},
    )


class RoleMappingOIDCBackend(OIDCAuthenticationBackend):
    def get_or_create_user(self, access_token, id_token, payload):
        self._id_token_subject = payload.get("sub")
        return super().get_or_create_user(access_token, id_token, payload)

    def verify_claims(self, claims) -> bool:
        # OpenID Connect Core 5.3.2: the userinfo answer is about the ID token's subject only.
        sub = claims.get("sub")
        return bool(sub) and sub == self._id_token_subject and bool(roles_from_claims(claims))

    def get_username(self, claims) -> str:
        return f"{USERNAME_PREFIX}{claims['sub']}"[:150]

    def filter_users_by_claims(self, claims):
        return User.objects.filter(username=self.get_username(claims))

    def create_user(self, claims) -> User:
        user = User.objects.create_user(self.get_username(claims), email=claims.get("email", ""))
        audit_event(
            actor=None,
            action="sso.user_created",
            summary=f"Account {user.username} created at first single sign-on.",
            data={"user": str(user.pk)},
        )
        return self.update_user(user, claims)

    def update_user(self, user: User, claims) -> User:
        user.first_name = str(claims.get("given_name", ""))[:150]
        user.last_name = str(claims.get("family_name", ""))[:150]
        user.email = str(claims.get("email", ""))[:254]
        user.save(update_fields=["first_name", "last_name", "email"])
        user_roles_sync_from_sso(user=user, roles=roles_from_claims(claims))
        return user


def _enabled_only(view):
    def wrapped(request, *args, **kwargs):
        if not settings.OIDC_ENABLED:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


sso_start = _enabled_only(OIDCAuthenticationRequestView.as_view())
sso_callback = _enabled_only(OIDCAuthenticationCallbackView.as_view())
