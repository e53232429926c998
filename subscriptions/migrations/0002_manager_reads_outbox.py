"""The UM manager reads subscriptions and their outbox (dead letters) in the admin."""

from django.db import migrations

MODELS = ("subscription", "notification")


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    from um_portal.accounts.roles import Role

    app_config = apps.get_app_config("subscriptions")
    # Permissions are normally created after migrate; a fresh database needs them now.
    original = getattr(app_config, "models_module", None)
    app_config.models_module = original or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=Role.MANAGER.value)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="subscriptions", codename__in=[f"view_{m}" for m in MODELS]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("subscriptions", "0001_initial"),
        ("accounts", "0004_role_permissions"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
