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
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("caremgmt")
    original = getattr(app_config, "models_module", None)
    app_config.models_module = original or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=MANAGER)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="caremgmt", codename__in=CODENAMES)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("caremgmt", "0001_referrals"),
        ("accounts", "0004_role_permissions"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
