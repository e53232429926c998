"""Object permissions on care requests, in their own table (django-guardian direct foreign key).

A direct foreign key instead of guardian's generic (content type, text primary key) table lets
PostgreSQL probe grants by an indexed UUID column. Grants go to groups only — one group per
provider organisation — never to single users, so there is no user table. Rows are written only
by intake.services.access, and read by intake.apis.selectors.
"""

from django.db import models
from guardian.models import GroupObjectPermissionBase


class CareRequestGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey("intake.CareRequest", on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = "care request permission of a group"
