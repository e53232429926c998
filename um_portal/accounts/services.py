"""Provider organisations and their portal users.

Each organisation has one Django group. Its portal users are the group's members, and its care
requests are granted to the group (django-guardian object permissions, intake.services.access),
so moving a user between organisations is one membership change here, audited.
"""

from django.contrib.auth.models import Group
from django.db import transaction
from rest_framework.authtoken.models import Token

from um_portal.audit.services import audit_event
from um_portal.lib.errors import NotPermitted

from .models import ProviderOrganization, User
from .roles import STAFF_ROLES, Role


def provider_organization_group(*, organization: ProviderOrganization) -> Group:
    """The organisation's group, created the first time it is needed."""
    if organization.group_id is not None:
        return organization.group
    with transaction.atomic():
        # Locked so that two first grants for one organisation create one group, not two.
        locked = ProviderOrganization.objects.select_for_update().get(pk=organization.pk)
        if locked.group_id is None:
            locked.group = Group.objects.create(name=f"provider-organization:{locked.pk}")
            locked.save(update_fields=["group"])
    organization.group = locked.group
    return locked.group


@transaction.atomic
def provider_user_set_organization(
    *, actor, user: User, organization: ProviderOrganization | None
) -> None:
    """Make `user` a portal user of `organization` (None: of none).

    From now on they see that organisation's requests and no longer those of the one they
    leave. Membership of organisation groups is brought in line even when the organisation
    does not change, so a group edited by hand in the admin is repaired.
    """
    locked = User.objects.select_for_update().get(pk=user.pk)
    previous_id = locked.provider_organization_id
    memberships = User.groups.through.objects.filter(
        user_id=user.pk, group__provider_organization__isnull=False
    )
    if organization is None:
        memberships.delete()
    else:
        group = provider_organization_group(organization=organization)
        memberships.exclude(group=group).delete()
        user.groups.add(group)
    user.provider_organization = organization
    User.objects.filter(pk=user.pk).update(provider_organization=organization)
    user.forget_groups()
    new_id = organization.pk if organization is not None else None
    if previous_id != new_id:
        audit_event(
            actor=actor,
            action="provider_organization_changed",
            summary=f"{user.username}: {organization.name if organization else 'no organisation'}",
            data={
                "user": str(user.pk),
                "from": str(previous_id) if previous_id else None,
                "to": str(new_id) if new_id else None,
            },
        )


@transaction.atomic
def api_token_issue(*, user: User, actor, rotate: bool = False) -> tuple[Token, bool]:
    """The user's API token for `Authorization: Bearer`, created if they have none; with
    rotate=True any existing token stops working and a new one is made. Returns (token, new).

    Only active users whose role may use the API get one (NotPermitted otherwise)."""
    if not user.is_active or not user.has_role(Role.PROVIDER, *STAFF_ROLES):
        raise NotPermitted("This account has no role that may use the API.")
    is_provider_only = user.has_role(Role.PROVIDER) and not user.has_role(*STAFF_ROLES)
    if is_provider_only and user.provider_organization_id is None:
        raise NotPermitted("A provider account needs an organisation to use the API.")
    replaced = Token.objects.filter(user=user).delete()[0] if rotate else 0
    token, created = Token.objects.get_or_create(user=user)
    if created:
        audit_event(
            actor=actor,
            action="api_token.replaced" if replaced else "api_token.issued",
            summary=f"API token {'replaced' if replaced else 'issued'} for {user.username}.",
            data={"user": str(user.pk)},
        )
    return token, created


@transaction.atomic
def api_token_revoke(*, user: User, actor) -> bool:
    """Delete the user's API token: requests with it answer 401 from now on."""
    deleted = Token.objects.filter(user=user).delete()[0] > 0
    if deleted:
        audit_event(
            actor=actor,
            action="api_token.revoked",
            summary=f"API token revoked for {user.username}.",
            data={"user": str(user.pk)},
        )
    return deleted
