"""Roles are Django groups; these are their names. One place to spell them.

The admin is least privilege (HIPAA 45 CFR 164.308(a)(4), access by role): no role is a
superuser. The UM manager edits configuration and may look at clinical records there, read-only;
the technical administrator manages user accounts and sees no clinical record at all.
"""

from django.db import models


class Role(models.TextChoices):
    INTAKE = "intake_specialist", "Intake specialist"
    NURSE = "um_nurse", "UM nurse"
    DIRECTOR = "medical_director", "Medical director"
    PROVIDER = "provider", "Provider"
    MANAGER = "um_manager", "UM manager"
    ADMINISTRATOR = "technical_administrator", "Technical administrator"
    # A health-plan member who signed in through the plan's invitation (members app): sees only
    # their own requests, decisions and letters.
    MEMBER = "member", "Member"


STAFF_ROLES = frozenset({Role.INTAKE, Role.NURSE, Role.DIRECTOR, Role.MANAGER})
CLINICAL_ROLES = frozenset({Role.NURSE, Role.DIRECTOR})
# Roles that sign in to the Django admin (their users get `is_staff`).
ADMIN_SITE_ROLES = frozenset({Role.MANAGER, Role.ADMINISTRATOR})

# Configuration a UM manager edits in the admin (each edit is audited by the admin).
CONFIGURATION_MODELS = (
    "intake.servicecategory",
    "intake.plan",
    "intake.provider",
    "intake.turnaroundstandard",
    "intake.authrequirementrule",
    "intake.checklistrequirement",
    "intake.autoapprovalrule",
    "intake.queue",
    "intake.skill",
    "review.criteriaset",
    "review.criterion",
    "review.reviewerprofile",
    "determinations.denialreason",
    "determinations.appealpolicy",
    "scheduling.availabilityrule",
    "scheduling.availabilityexception",
    "scheduling.holiday",
    "scheduling.slot",
    "accounts.providerorganization",
    "quality.irrsettings",
    "quality.vignette",
    "quality.vignetteanswer",
)
# Clinical records and logs the UM manager may read in the admin; they change only through the
# services (the admin shows them read-only to everyone, superusers included).
CLINICAL_RECORD_MODELS = (
    "intake.carerequest",
    "intake.serviceline",
    "intake.diagnosis",
    "intake.statusevent",
    "intake.member",
    "intake.coverage",
    "intake.document",
    "intake.checklistitem",
    "intake.eligibilitycheck",
    "intake.informationrequest",
    "intake.casenote",
    "intake.ruleevaluation",
    "intake.duplicateflag",
    "review.nursereview",
    "review.criterionanswer",
    "determinations.determination",
    "determinations.linedecision",
    "determinations.letter",
    "scheduling.peertopeer",
    "scheduling.p2poffer",
    "audit.accesslog",
    "audit.auditevent",
)
_ALL = ("add", "change", "delete", "view")

# role: [(app_label, codename)]
ROLE_PERMISSIONS: dict[str, list[tuple[str, str]]] = {
    Role.MANAGER: [
        *[(m.split(".")[0], f"{a}_{m.split('.')[1]}") for m in CONFIGURATION_MODELS for a in _ALL],
        *[(m.split(".")[0], f"view_{m.split('.')[1]}") for m in CLINICAL_RECORD_MODELS],
    ],
    Role.ADMINISTRATOR: [
        *[("accounts", f"{a}_user") for a in ("add", "change", "view")],
        *[("accounts", f"{a}_providerorganization") for a in ("add", "change", "view")],
        ("auth", "view_group"),
    ],
}


def _model_exists(apps, app_label: str, model_name: str) -> bool:
    try:
        apps.get_model(app_label, model_name)
    except LookupError:
        return False
    return True


def role_groups_grant_permissions(apps) -> None:
    """Create the role groups and give each exactly its model permissions (idempotent; also run
    by the data migration, whose `apps` is the historical registry)."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate; a fresh database needs them now.
    for app_config in apps.get_app_configs():
        original = getattr(app_config, "models_module", None)
        app_config.models_module = original or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = ROLE_PERMISSIONS.get(role, [])
        perms = []
        for app_label, codename in wanted:
            perm = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm is None:
                if not _model_exists(apps, app_label, codename.split("_", 1)[1]):
                    # A model added after this migration state: the app's own later migration
                    # runs this function again and grants it.
                    continue
                raise LookupError(f"No permission {app_label}.{codename} for role {role}")
            perms.append(perm)
        group.permissions.set(perms)


def manager_permissions_add(apps, app_label: str, codenames) -> None:
    """For an app's own data migration: create the app's permissions now (Django creates them
    only after migrate) and add `codenames` to the UM manager's group. Added, never set: the
    migrations of several apps each grant their part, in whatever order they run."""
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config(app_label)
    original = getattr(app_config, "models_module", None)
    app_config.models_module = original or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = original
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=Role.MANAGER.value)
    group.permissions.add(
        *apps.get_model("auth", "Permission").objects.filter(
            content_type__app_label=app_label, codename__in=list(codenames)
        )
    )
