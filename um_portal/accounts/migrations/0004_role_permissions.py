"""The technical administrator role, and each admin role's model permissions (least privilege:
the UM manager is no longer a superuser)."""

from django.db import migrations


def grant(apps, schema_editor):
    from um_portal.accounts.roles import role_groups_grant_permissions

    role_groups_grant_permissions(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_organization_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("audit", "0001_initial"),
        ("intake", "0009_information_request_provider_notice"),
        ("review", "0003_nurse_review_referral_justification"),
        ("determinations", "0003_reference_data"),
        ("scheduling", "0003_p2p_outcome_reconsider"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
