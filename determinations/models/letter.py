import uuid

from django.db import models

from intake.models import CareRequest

from .determination import Determination


def letter_upload_to(instance: "Letter", filename: str) -> str:
    return f"letters/{instance.case_pk}/{instance.pk}.pdf"


class Letter(models.Model):
    """A determination letter and its outbox state: the row is written with the decision and
    the worker moves it along; a sweeper re-queues letters stuck before `sent`. A notice that
    is not about a decision (the clock extension notice) hangs on its case instead."""

    class Recipient(models.TextChoices):
        PROVIDER = "provider", "Provider"
        MEMBER = "member", "Member"

    class Template(models.TextChoices):
        APPROVAL = "approval", "Approval"
        PARTIAL = "partial", "Partial approval"
        DENIAL = "denial", "Denial"
        ADMIN_DENIAL = "admin_denial", "Administrative denial"
        NOT_REQUIRED = "not_required", "No authorization required"
        APPEAL_ACK = "appeal_ack", "Appeal acknowledgement"
        APPEAL_DECISION = "appeal_decision", "Appeal decision"
        EXTENSION = "extension", "Extension notice"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to render"
        RENDERING = "rendering", "Rendering"
        RENDERED = "rendered", "Rendered, waiting to send"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        MAIL = "mail", "Print and mail"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    determination = models.ForeignKey(
        Determination, on_delete=models.PROTECT, related_name="letters", null=True, blank=True
    )
    # Only for a notice sent before any decision (the extension notice, 29 CFR
    # 2560.503-1(f)(3)); every other letter reaches its case through its determination.
    care_request = models.ForeignKey(
        CareRequest,
        on_delete=models.PROTECT,
        related_name="notice_letters",
        null=True,
        blank=True,
    )
    recipient = models.CharField(max_length=10, choices=Recipient.choices)
    template = models.CharField(max_length=15, choices=Template.choices)
    language = models.CharField(max_length=5, default="en")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    pdf = models.FileField(upload_to=letter_upload_to, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(max_length=5, choices=Channel.choices, blank=True)
    print_ready_at = models.DateTimeField(
        null=True, blank=True, help_text="When the copy was handed to the print-and-mail queue."
    )
    claimed_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker last took it; for the sweeper."
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    # When the recipient really had it: an e-mail when the mail server took it (sent_at), a
    # printed letter only when the mail house's return file says it was mailed (mailroom). The
    # NCQA timeliness report counts a notification from this, never from sent_at.
    delivered_at = models.DateTimeField(null=True, blank=True)
    # When we learned of the delivery (the return file arrives a day or more after the mailing).
    delivery_recorded_at = models.DateTimeField(null=True, blank=True)
    # The appeal an appeal letter is about. A bare UUID, not a foreign key: determinations must
    # not import the appeals app (ADR 0005); appeals supplies the letter's appeal context.
    appeal_id = models.UUIDField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            # An acknowledgement hangs on the determination under appeal, which has its own
            # letters already: it is unique per appeal instead.
            models.UniqueConstraint(
                fields=["determination", "recipient"],
                name="letter_once_per_recipient",
                condition=~models.Q(template="appeal_ack"),
            ),
            models.UniqueConstraint(
                fields=["appeal_id", "recipient"],
                name="appeal_ack_once_per_recipient",
                condition=models.Q(template="appeal_ack"),
            ),
            # A clock is extended once per case, so its notice goes once to each recipient.
            models.UniqueConstraint(
                fields=["care_request", "recipient"],
                name="extension_notice_once_per_recipient",
                condition=models.Q(template="extension"),
            ),
            models.CheckConstraint(
                condition=models.Q(determination__isnull=False)
                | models.Q(care_request__isnull=False),
                name="letter_has_a_case",
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "created_at"],
                name="letter_outbox",
                condition=~models.Q(status="sent"),
            ),
            # The reports' summary sweep finds letters sent since its last run (reports.rollup).
            models.Index(fields=["sent_at"], name="letter_sent"),
            # ...and letters delivered since then (a return file can deliver an old case's letter).
            models.Index(fields=["delivery_recorded_at"], name="letter_delivery_recorded"),
        ]

    def __str__(self) -> str:
        return f"{self.get_template_display()} letter to {self.get_recipient_display()}"

    @property
    def case(self) -> CareRequest:
        """The case the letter is about (select_related both paths when reading many)."""
        return self.care_request if self.care_request_id else self.determination.care_request

    @property
    def case_pk(self):
        return self.care_request_id or self.determination.care_request_id

    @property
    def is_downloadable(self) -> bool:
        return bool(self.pdf and self.sha256)
