"""The UM manager registers the apps members may authorize for the Patient Access API (SMART
App Launch clients, django-oauth-toolkit's Application) in the admin."""

from django.db import migrations

APP_PERMISSIONS = ("add_application", "change_application", "delete_application", "view_application")


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate; a fresh database needs them now.
    app_config = apps.get_app_config("oauth2_provider")
    original = getattr(app_config, "models_module", None)
    app_config.models_module = original or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    manager, _ = Group.objects.get_or_create(name="um_manager")
    manager.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="oauth2_provider", codename__in=APP_PERMISSIONS
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_member_role"),
        ("oauth2_provider", "0022_refreshtoken_token_family_index"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
