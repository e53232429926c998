"""The UM manager edits the IRR settings and vignettes in the admin. Added to the manager's
group, never set: other apps' migrations grant their part in whatever order they run."""

from django.db import migrations

MODELS = ("irrsettings", "vignette", "vignetteanswer")


def grant(apps, schema_editor):
    from um_portal.accounts.roles import manager_permissions_add

    manager_permissions_add(
        apps,
        "quality",
        [f"{a}_{m}" for m in MODELS for a in ("add", "change", "delete", "view")],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("quality", "0002_irr_audits"),
        ("accounts", "0004_role_permissions"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
