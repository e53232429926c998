"""The UM manager sees the tokens members gave their apps (masked) and may revoke them in the
admin — a lost phone, an app the member no longer trusts. Nobody edits a token by hand."""

from django.db import migrations

TOKEN_PERMISSIONS = ("view_accesstoken", "view_refreshtoken")


def grant(apps, schema_editor):
    from um_portal.accounts.roles import manager_permissions_add

    manager_permissions_add(apps, "oauth2_provider", TOKEN_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_manager_registers_apps")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
