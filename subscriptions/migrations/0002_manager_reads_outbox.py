"""The UM manager reads subscriptions and their outbox (dead letters) in the admin."""

from django.db import migrations

MODELS = ("subscription", "notification")


def grant(apps, schema_editor):
    from um_portal.accounts.roles import manager_permissions_add

    manager_permissions_add(apps, "subscriptions", [f"view_{m}" for m in MODELS])


class Migration(migrations.Migration):
    dependencies = [
        ("subscriptions", "0001_initial"),
        ("accounts", "0004_role_permissions"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
