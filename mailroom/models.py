"""The print-and-mail outbox: a daily batch of printed letters for the mail house, and each
letter's piece in it (ADR 0008)."""

import uuid

from django.conf import settings
from django.db import models

from determinations.models import Letter


def batch_upload_to(instance: "MailBatch", filename: str) -> str:
    return f"mailroom/{instance.batch_date:%Y-%m-%d}/{filename}"


class MailBatch(models.Model):
    """One day's printed letters: one merged PDF and its index CSV. Handed over only when the
    manager downloads it or it is delivered by SFTP; returned once the mail house's return file
    has a result for every piece."""

    class Status(models.TextChoices):
        BUILT = "built", "Built, not handed over"
        HANDED_OVER = "handed_over", "Handed to the mail house"
        RETURNED = "returned", "Return file imported"

    class HandOver(models.TextChoices):
        DOWNLOAD = "download", "Downloaded by the manager"
        SFTP = "sftp", "Delivered by SFTP"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # One batch per day: a second build the same day (beat and the command) finds this one.
    batch_date = models.DateField(unique=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.BUILT)
    pdf = models.FileField(upload_to=batch_upload_to)
    csv = models.FileField(upload_to=batch_upload_to)
    letter_count = models.PositiveIntegerField(default=0)
    page_count = models.PositiveIntegerField(default=0)
    built_at = models.DateTimeField(auto_now_add=True)
    handed_over_at = models.DateTimeField(null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the system delivered it by SFTP.",
    )
    handed_over_how = models.CharField(max_length=8, choices=HandOver.choices, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-batch_date"]
        verbose_name_plural = "mail batches"

    def __str__(self) -> str:
        return f"Mail batch {self.batch_date:%Y-%m-%d}"


class MailPiece(models.Model):
    """A letter's place in a batch. The one-to-one is what keeps a letter out of a second
    batch, whatever two builders race."""

    class Status(models.TextChoices):
        IN_BATCH = "in_batch", "In the batch"
        MAILED = "mailed", "Mailed"
        RETURNED = "returned", "Returned"
        UNDELIVERABLE = "undeliverable", "Undeliverable"

    FINAL = (Status.MAILED, Status.RETURNED, Status.UNDELIVERABLE)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    batch = models.ForeignKey(MailBatch, on_delete=models.PROTECT, related_name="pieces")
    letter = models.OneToOneField(Letter, on_delete=models.PROTECT, related_name="mail_piece")
    sequence = models.PositiveIntegerField()
    first_page = models.PositiveIntegerField()
    pages = models.PositiveIntegerField()
    # The Intelligent Mail barcode the mail house prints; ours is a placeholder it replaces.
    imb = models.CharField("IMb", max_length=65)
    status = models.CharField(max_length=13, choices=Status.choices, default=Status.IN_BATCH)
    mailed_at = models.DateTimeField(null=True, blank=True)
    returned_reason = models.CharField(max_length=200, blank=True)
    result_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["batch", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "sequence"], name="mailpiece_sequence"),
        ]

    def __str__(self) -> str:
        return f"Piece {self.sequence} of {self.batch}"

    @property
    def case_pk(self):
        return self.letter.case_pk
