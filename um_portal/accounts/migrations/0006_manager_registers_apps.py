"""The UM manager registers the apps members may authorize for the Patient Access API (SMART
App Launch clients, django-oauth-toolkit's Application) in the admin."""

from django.db import migrations

APP_PERMISSIONS = ("add_application", "change_application", "delete_application", "view_application")


def grant(apps, schema_editor):
    from um_portal.accounts.roles import manager_permissions_add

    manager_permissions_add(apps, "oauth2_provider", APP_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_member_role"),
        ("oauth2_provider", "0022_refreshtoken_token_family_index"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
