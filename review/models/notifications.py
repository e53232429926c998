"""In-app notifications for reviewers and queue leads (turnaround clocks, DESIGN §5)."""

import uuid

from django.conf import settings
from django.db import models

from intake.models import CareRequest


class Notification(models.Model):
    """A message to one user about one case. The e-mail copy is sent after commit; `emailed_at`
    records that it went. Unique per deadline, so a case's at-risk warning reaches a user once
    (an extension gives a new deadline, which may warn again)."""

    class Kind(models.TextChoices):
        AT_RISK = "at_risk", "At risk"
        BREACHED = "breached", "Past due"
        REFERRED = "referred", "Referred to medical director review"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    care_request = models.ForeignKey(
        CareRequest, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due_at = models.DateTimeField(help_text="The deadline the notification is about.")
    message = models.CharField(max_length=300, help_text="Case reference and time only; no PHI.")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "care_request", "kind", "due_at"], name="notification_once"
            ),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.message
