"""Demo organisations and one user per role (password printed by `make run`)."""

from django.contrib.auth.models import Group

from um_portal.accounts.models import ProviderOrganization, User
from um_portal.accounts.roles import ADMIN_SITE_ROLES, Role
from um_portal.accounts.services import provider_user_set_organization

DEMO_PASSWORD = "umportal-demo"  # noqa: S105 - documented demo credential, never for production

ORGANIZATIONS = {
    "lakeside": ("Lakeside Orthopedics & Spine", "910000001", "auth@lakeside-ortho.example"),
    "riverside": ("Riverside Family Medicine", "910000002", "office@riverside-fm.example"),
    "northgate": ("Northgate Pulmonary Associates", "910000003", "pa@northgate-pulm.example"),
}

# username: (first, last, credentials, role, organisation key, time zone)
USERS = {
    "intake": ("Ivy", "Chen", "", Role.INTAKE, None, "America/New_York"),
    "intake2": ("Omar", "Haddad", "", Role.INTAKE, None, "America/New_York"),
    "nurse": ("Nora", "Patel", "RN", Role.NURSE, None, "America/New_York"),
    "nurse2": ("Luis", "Ortega", "RN, CCM", Role.NURSE, None, "America/Chicago"),
    "director": ("Daniel", "Brooks", "MD", Role.DIRECTOR, None, "America/New_York"),
    "director2": ("Amara", "Okafor", "MD, FACP", Role.DIRECTOR, None, "America/Los_Angeles"),
    "manager": ("Marcus", "Lee", "", Role.MANAGER, None, "America/New_York"),
    "admin": ("Tessa", "Nguyen", "", Role.ADMINISTRATOR, None, "America/New_York"),
    "provider": ("Paula", "Reyes", "", Role.PROVIDER, "lakeside", "America/New_York"),
    "provider2": ("Sam", "Whitfield", "", Role.PROVIDER, "riverside", "America/New_York"),
}

# Printed by `make run`; the secondary accounts exist for routing and scheduling.
# `member` is made by the members demo, through the member's own invitation.
PRINTED_USERS = [
    "intake",
    "nurse",
    "director",
    "provider",
    "provider2",
    "manager",
    "admin",
    "member",
]


def seed_accounts() -> dict[str, object]:
    orgs = {}
    for key, (name, tin, email) in ORGANIZATIONS.items():
        orgs[key], _ = ProviderOrganization.objects.get_or_create(
            tax_id=tin, defaults={"name": name, "email": email, "phone": "555-0100"}
        )
    users = {}
    for username, (first, last, creds, role, org_key, tz) in USERS.items():
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "credentials": creds,
                "email": f"{username}@um-portal.example",
                "time_zone": tz,
                "provider_organization": orgs.get(org_key),
                "is_staff": role in ADMIN_SITE_ROLES,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name=role))
        if org_key:
            provider_user_set_organization(actor=None, user=user, organization=orgs[org_key])
        users[username] = user
    manager = users["manager"]
    if manager.is_superuser:
        # Demo databases seeded before least privilege: the role's permissions are enough.
        manager.is_superuser = False
        manager.save(update_fields=["is_superuser"])
    return {"orgs": orgs, "users": users}
