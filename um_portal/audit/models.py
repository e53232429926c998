"""Append-only records of who read and who changed protected health information."""

import uuid

from django.conf import settings
from django.db import models


class AppendOnlyModel(models.Model):
    """Rows are written once and never changed or deleted through the ORM."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError(f"{type(self).__name__} rows are immutable.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError(f"{type(self).__name__} rows are immutable.")


class AccessLog(AppendOnlyModel):
    """One row per case (or member) a response showed (HIPAA 45 CFR 164.312(b) audit controls;
    the accounting of disclosures of 45 CFR 164.528 is read from these rows)."""

    class Channel(models.TextChoices):
        STAFF = "staff", "Staff pages"
        PORTAL = "portal", "Provider portal"
        API = "api", "REST API"
        FHIR = "fhir", "FHIR API"
        ADMIN = "admin", "Admin"
        EXPORT = "export", "CSV export"
        REPORT = "report", "Reports"
        MEMBER = "member", "Member's own pages"

    id = models.BigAutoField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    case_id = models.UUIDField(
        null=True, blank=True, db_index=True, help_text="Empty for a read of a member alone."
    )
    member_id = models.UUIDField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=40, help_text="view, download, api_read, ...")
    channel = models.CharField(max_length=10, choices=Channel.choices, blank=True)
    object_id = models.CharField(
        max_length=64, blank=True, help_text="A document or letter within the case."
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]


class AuditEvent(AppendOnlyModel):
    """A change to a case or configuration, outside the status transitions themselves."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty for the system (rules engine, scheduled tasks).",
    )
    case_id = models.UUIDField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=60)
    summary = models.CharField(
        max_length=300, blank=True, help_text="Shown in the case history; no more PHI than needed."
    )
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.action} at {self.at:%Y-%m-%d %H:%M}"
