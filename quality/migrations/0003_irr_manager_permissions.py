"""The UM manager edits the IRR settings and vignettes in the admin (their model permissions,
granted by the same function as every role's)."""

from django.db import migrations


def grant(apps, schema_editor):
    from um_portal.accounts.roles import role_groups_grant_permissions

    role_groups_grant_permissions(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("quality", "0002_irr_audits"),
        ("accounts", "0004_role_permissions"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
