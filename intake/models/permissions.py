"""Object permissions on care requests, in their own tables (django-guardian direct foreign keys).

A direct foreign key instead of guardian's generic (content type, text primary key) tables lets
PostgreSQL join grants to care requests on an indexed UUID column. Rows are written and deleted
only by intake.services.access; the portal, the API and FHIR read them through
intake.apis.selectors.
"""

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


class CareRequestUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey("intake.CareRequest", on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = "care request permission of a user"


class CareRequestGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey("intake.CareRequest", on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = "care request permission of a group"
