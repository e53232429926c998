"""The member role (members app): a group with no model permissions."""

from django.db import migrations


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="member")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_role_permissions")]
    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
