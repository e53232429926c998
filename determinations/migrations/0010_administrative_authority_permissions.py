"""The UM manager edits who may make administrative denials (AdministrativeAuthority) in the
admin and reads the out-of-network exceptions. Granted here rather than through
accounts.roles.CONFIGURATION_MODELS: accounts 0004 runs that list against the state of its own
time, before these models exist on a fresh database."""

from django.db import migrations

PERMISSIONS = [
    *(f"{a}_administrativeauthority" for a in ("add", "change", "delete", "view")),
    "view_networkexception",
]


def grant(apps, schema_editor):
    from um_portal.accounts.roles import manager_permissions_add

    manager_permissions_add(apps, "determinations", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("determinations", "0009_administrative_determinations"),
        ("accounts", "0004_role_permissions"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
