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
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("determinations")
    original = getattr(app_config, "models_module", None)
    app_config.models_module = original or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    manager, _ = Group.objects.get_or_create(name="um_manager")
    manager.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="determinations", codename__in=PERMISSIONS
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("determinations", "0009_administrative_determinations"),
        ("accounts", "0004_role_permissions"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
