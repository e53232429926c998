"""What CMS asks a payer to report about its Patient Access API each year: how many unique
patients had data transferred to an app. One row per member, app and day that data went out."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from intake.models import Member


class PatientAccessTransfer(models.Model):
    application = models.ForeignKey(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    day = models.DateField(default=timezone.localdate)
    calls = models.PositiveIntegerField(default=0)
    resources = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "member", "day"], name="one_transfer_row_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member_id} via {self.application_id} on {self.day}"
