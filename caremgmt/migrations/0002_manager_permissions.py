"""The UM manager edits referral rules in the admin and reads referrals there (least privilege:
nothing else). Added to the manager's group, not set: the role's other permissions stay."""

from django.db import migrations

MANAGER = "um_manager"
CODENAMES = (
    "add_referralrule",
    "change_referralrule",
    "delete_referralrule",
    "view_referralrule",
    "view_referral",
)


def grant(apps, schema_editor):
    from um_portal.accounts.roles import manager_permissions_add

    manager_permissions_add(apps, "caremgmt", CODENAMES)


class Migration(migrations.Migration):
    dependencies = [
        ("caremgmt", "0001_referrals"),
        ("accounts", "0004_role_permissions"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
