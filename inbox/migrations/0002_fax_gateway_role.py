from django.db import migrations

FAX_GATEWAY = "fax_gateway"


def create_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name=FAX_GATEWAY)


class Migration(migrations.Migration):
    dependencies = [("inbox", "0001_initial"), ("accounts", "0002_roles")]
    operations = [migrations.RunPython(create_group, migrations.RunPython.noop)]
