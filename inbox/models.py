"""The fax/document inbox (issue 16): what arrived, its pages, and what was read from it.

Nothing here is a case yet: a person confirms the fields and intake's care_request_create makes
the case, which keeps the original file as its first document and the arrival time as its receipt.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from intake.models import CareRequest
from um_portal.accounts.permissions import user_has_role
from um_portal.accounts.roles import Role

from .layout import LOW_CONFIDENCE

FIELD_LABELS = {
    "member_name": "Member name",
    "member_id": "Member ID",
    "member_dob": "Date of birth",
    "requesting_name": "Requesting provider",
    "requesting_npi": "Requesting provider NPI",
    "servicing_name": "Servicing provider",
    "servicing_npi": "Servicing provider NPI",
    "urgency": "Urgency",
    "setting": "Setting",
    "clinical_reason": "Clinical reason",
    "contact_phone": "Contact phone",
    "contact_fax": "Contact fax",
}


def _intake(instance: "InboundDocument", user) -> bool:
    return user_has_role(user, Role.INTAKE)


def inbound_upload_to(instance: "InboundDocument", filename: str) -> str:
    # Never a patient's name in a path (a fax file name often carries one).
    return f"inbox/{instance.pk}/{uuid.uuid4().hex}"


def page_upload_to(instance: "InboundPage", filename: str) -> str:
    return f"inbox/{instance.document_id}/page-{instance.number:03d}-{uuid.uuid4().hex[:8]}.png"


class InboundDocument(ConcurrentTransitionMixin, models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        PROCESSING = "processing", "Reading"
        READ = "read", "Read, to review"
        FAILED = "failed", "Could not be read"
        CLAIMED = "claimed", "Being reviewed"
        CONVERTED = "converted", "Case created"

    class Source(models.TextChoices):
        UPLOAD = "upload", "Upload"
        WATCHED_FOLDER = "folder", "Fax folder"
        API = "api", "API (fax gateway)"

    class ReadMethod(models.TextChoices):
        NONE = "", "Not read"
        OCR = "ocr", "OCR (Tesseract)"
        ACROFORM = "acroform", "PDF form fields"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    status = FSMField(default=Status.RECEIVED, choices=Status.choices, protected=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    file = models.FileField(upload_to=inbound_upload_to)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50, help_text="Sniffed from the content.")
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    arrived_at = models.DateTimeField(db_index=True, help_text="The request's receipt time.")
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    page_count = models.PositiveIntegerField(default=0)
    pages_done = models.PositiveIntegerField(default=0, help_text="Progress of the reading.")
    read_method = models.CharField(max_length=10, choices=ReadMethod.choices, blank=True)
    failure_reason = models.CharField(max_length=300, blank=True)
    processing_seconds = models.FloatField(null=True, blank=True)
    # How many times a worker started reading it; a worker that dies mid-read leaves the item
    # "reading", and the stale-item task retries it up to INBOX_READ_ATTEMPTS times.
    attempts = models.PositiveSmallIntegerField(default=0)
    # Last sign of life from the worker reading it (start, then every page): stale when old.
    progress_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    care_request = models.ForeignKey(
        CareRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A cover page that names a pending case's reference: the fax answers that case.
    answers_reference = models.CharField(max_length=12, blank=True)

    class Meta:
        ordering = ["arrived_at"]
        indexes = [
            models.Index(fields=["status", "arrived_at"], name="inbox_status_arrived"),
            models.Index(fields=["status", "progress_at"], name="inbox_status_progress"),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def progress_percent(self) -> int:
        return round(100 * self.pages_done / self.page_count) if self.page_count else 0

    # Transitions change only this row's fields; services lock, save and audit (STYLE).
    @transition(field=status, source=Status.RECEIVED, target=Status.PROCESSING)
    def start_processing(self) -> None:
        """A worker took the item: progress restarts, and this is one more attempt."""
        self.pages_done = 0
        self.attempts += 1
        self.progress_at = timezone.now()

    @transition(field=status, source=Status.PROCESSING, target=Status.READ)
    def finish_reading(self, *, read_method: str, seconds: float) -> None:
        """The pages were read and the fields extracted."""
        self.read_method = read_method
        self.processing_seconds = seconds

    @transition(field=status, source=[Status.RECEIVED, Status.PROCESSING], target=Status.FAILED)
    def fail(self, *, reason: str) -> None:
        """The file could not be read; it stays in the inbox, with the reason."""
        self.failure_reason = reason[:300]

    @transition(
        field=status,
        source=[Status.CLAIMED],
        target=Status.CONVERTED,
        permission=_intake,
    )
    def convert(self, *, care_request: CareRequest) -> None:
        """A person confirmed it: it is a case now (or part of one)."""
        self.care_request = care_request


class InboundPage(models.Model):
    class Kind(models.TextChoices):
        REQUEST_FORM = "request_form", "Request form"
        COVER = "cover", "Cover sheet"
        OTHER = "other", "Other page"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    document = models.ForeignKey(InboundDocument, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField()
    image = models.FileField(upload_to=page_upload_to, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    # A suggestion for the case document kind (intake.DocumentKind) from the page's words.
    suggested_document_kind = models.CharField(max_length=20, blank=True)
    text = models.TextField(blank=True)
    mean_confidence = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="inbox_page_unique_number")
        ]

    def __str__(self) -> str:
        return f"page {self.number}"


class ExtractedField(models.Model):
    """One value read from the form, where it was, how sure the reader was, and whether our own
    checks accept it. `name` may repeat with an index (service_1_code, diagnosis_2)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    document = models.ForeignKey(InboundDocument, on_delete=models.CASCADE, related_name="fields")
    name = models.CharField(max_length=40)
    value = models.CharField(max_length=500, blank=True)
    confidence = models.FloatField(help_text="0-100; 100 for a PDF form field.")
    page = models.PositiveIntegerField(default=1)
    # The region on the page image as fractions of its width and height: x0, y0, x1, y1.
    bbox = models.JSONField(default=list, blank=True)
    valid = models.BooleanField(default=False)
    validation_message = models.CharField(max_length=300, blank=True)
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["document", "sequence"]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        if self.name in FIELD_LABELS:
            return FIELD_LABELS[self.name]
        parts = self.name.split("_")
        if parts[0] == "diagnosis":
            return f"Diagnosis {parts[1]}"
        if parts[0] == "service" and len(parts) == 3:
            return f"Service {parts[1]} {parts[2]}"
        return self.name

    @property
    def needs_confirmation(self) -> bool:
        return not self.valid or self.confidence < LOW_CONFIDENCE
