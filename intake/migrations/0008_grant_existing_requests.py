"""Give every organisation a group with its portal users in it, and grant every existing care
request to its organisation, so a database from before object permissions keeps working.

New data gets the same from um_portal.accounts.services and intake.services.access; this copy
uses the historical models because migrations must not import services.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = ("view_carerequest", "change_carerequest")


def forwards(apps, schema_editor):
    ProviderOrganization = apps.get_model("accounts", "ProviderOrganization")
    User = apps.get_model("accounts", "User")
    Group = apps.get_model("auth", "Group")
    CareRequest = apps.get_model("intake", "CareRequest")
    Grant = apps.get_model("intake", "CareRequestGroupObjectPermission")
    Permission = apps.get_model("auth", "Permission")

    for organization in ProviderOrganization.objects.filter(group__isnull=True):
        organization.group = Group.objects.create(name=f"provider-organization:{organization.pk}")
        organization.save(update_fields=["group"])
    groups = dict(ProviderOrganization.objects.values_list("pk", "group_id"))
    for user in User.objects.filter(provider_organization__isnull=False):
        user.groups.add(groups[user.provider_organization_id])

    if not CareRequest.objects.filter(provider_organization__isnull=False).exists():
        return  # a new database: nothing to grant (and no Permission rows yet)
    # Permission rows are normally created after migrating; an existing database needs the
    # CareRequest ones now.
    intake = apps.get_app_config("intake")
    intake.models_module = True
    create_permissions(intake, verbosity=0, apps=apps)
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="intake",
            content_type__model="carerequest",
            codename__in=PERMISSIONS,
        )
    )
    cases = CareRequest.objects.filter(provider_organization__isnull=False).values_list(
        "pk", "provider_organization_id"
    )
    batch = []
    for case_id, organization_id in cases.iterator(chunk_size=5000):
        batch += [
            Grant(group_id=groups[organization_id], permission=p, content_object_id=case_id)
            for p in permissions
        ]
        if len(batch) >= 10000:
            Grant.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Grant.objects.bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_organization_group"),
        ("intake", "0007_care_request_object_permissions"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
