"""What a care request is made of: service lines, diagnoses, documents, checklist, notes."""

import uuid

from django.conf import settings
from django.db import models

from intake.apis.coding import catalog_description
from um_portal.lib.codes import CodeSystem

from .care_request import CareRequest
from .reference import ServiceCategory


class ServiceLine(models.Model):
    class System(models.TextChoices):
        CPT = CodeSystem.CPT, "CPT"
        HCPCS = CodeSystem.HCPCS, "HCPCS"
        X12_SERVICE_TYPE = CodeSystem.X12_SERVICE_TYPE, "X12 service type"
        REVENUE = CodeSystem.REVENUE, "Revenue code"

    class Decision(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        MODIFIED = "modified", "Approved with changes"
        DENIED = "denied", "Denied"
        NOT_REQUIRED = "not_required", "No authorization required"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    care_request = models.ForeignKey(
        CareRequest, on_delete=models.CASCADE, related_name="service_lines"
    )
    sequence = models.PositiveSmallIntegerField()
    code_system = models.CharField(max_length=20, choices=System.choices)
    code = models.CharField(max_length=10)
    modifiers = models.CharField(max_length=20, blank=True, help_text="Comma-separated.")
    description = models.CharField(
        max_length=200, blank=True, help_text="Our plain-language description of the service."
    )
    category = models.ForeignKey(ServiceCategory, on_delete=models.PROTECT, related_name="+")
    units = models.PositiveIntegerField(default=1)
    start_date = models.DateField()
    end_date = models.DateField()
    place_of_service = models.CharField(
        max_length=2, blank=True, help_text="CMS place-of-service code, e.g. 11, 22."
    )
    # The current decision on the line, kept here so lists can show "lines decided / total";
    # the determination that set it is the record of why.
    decision = models.CharField(max_length=15, choices=Decision.choices, default=Decision.PENDING)
    approved_units = models.PositiveIntegerField(null=True, blank=True)
    approved_start = models.DateField(null=True, blank=True)
    approved_end = models.DateField(null=True, blank=True)

    @property
    def plain_description(self) -> str:
        """The service in plain words: the description stored at entry (typed, or the
        catalogue's), else the catalogue's for a line stored without one; "" when neither
        knows the code (pages then show the category's name)."""
        return self.description or catalog_description(self.code_system, self.code)

    class Meta:
        ordering = ["care_request", "sequence"]
        # Reports filtered by category: an index-only semi-join from category to cases (halved
        # the SQL time of the category-filtered dashboard at 100,000 cases; docs/benchmarks.md).
        indexes = [
            models.Index(fields=["category", "care_request"], name="service_line_category_case")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["care_request", "sequence"], name="service_line_unique_sequence"
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="service_line_dates_ordered",
            ),
            models.CheckConstraint(condition=models.Q(units__gte=1), name="service_line_units"),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_system_display()} {self.code} × {self.units}"


class Diagnosis(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    care_request = models.ForeignKey(
        CareRequest, on_delete=models.CASCADE, related_name="diagnoses"
    )
    sequence = models.PositiveSmallIntegerField()
    code = models.CharField("ICD-10-CM", max_length=8)
    description = models.CharField(max_length=250, blank=True)

    class Meta:
        ordering = ["care_request", "sequence"]
        verbose_name_plural = "diagnoses"
        constraints = [
            models.UniqueConstraint(
                fields=["care_request", "sequence"], name="diagnosis_unique_sequence"
            ),
        ]

    @property
    def is_primary(self) -> bool:
        return self.sequence == 1

    def __str__(self) -> str:
        return self.code


class DocumentKind(models.TextChoices):
    CLINICAL_NOTES = "clinical_notes", "Clinical notes"
    IMAGING_REPORT = "imaging_report", "Imaging report"
    LAB_RESULTS = "lab_results", "Lab results"
    ORDER = "order", "Physician order or prescription"
    MEDICAL_NECESSITY_LETTER = "lmn", "Letter of medical necessity"
    THERAPY_NOTES = "therapy_notes", "Conservative therapy record"
    OXYGEN_TEST = "oxygen_test", "Oxygen saturation test"
    REQUEST_FORM = "request_form", "Request form (fax)"
    OTHER = "other", "Other"


def document_upload_to(instance: "Document", filename: str) -> str:
    # Never the patient's name in a path: the case UUID and a random file name.
    return f"cases/{instance.care_request_id}/{uuid.uuid4().hex}"


class Document(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    care_request = models.ForeignKey(
        CareRequest, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    file = models.FileField(upload_to=document_upload_to)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50, help_text="Sniffed from the content.")
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    channel = models.CharField(max_length=10, choices=CareRequest.Channel.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"

    @property
    def from_outside(self) -> bool:
        """Uploaded by a provider (portal or API), not scanned in by our staff."""
        return self.channel in {CareRequest.Channel.PORTAL, CareRequest.Channel.API}


class ChecklistItem(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    care_request = models.ForeignKey(
        CareRequest, on_delete=models.CASCADE, related_name="checklist_items"
    )
    document_kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    description = models.CharField(max_length=200)
    required = models.BooleanField(default=True)
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="checklist_items"
    )

    class Meta:
        ordering = ["care_request", "-required", "description"]
        constraints = [
            models.UniqueConstraint(
                fields=["care_request", "document_kind"], name="checklist_item_unique_kind"
            ),
        ]

    @property
    def is_missing(self) -> bool:
        return self.required and self.document_id is None

    def __str__(self) -> str:
        return self.description


class EligibilityCheck(models.Model):
    """The record of an eligibility and benefits verification: what was checked, by whom."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    care_request = models.ForeignKey(
        CareRequest, on_delete=models.CASCADE, related_name="eligibility_checks"
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField(auto_now_add=True)
    coverage_active = models.BooleanField()
    services_covered = models.BooleanField()
    eligible = models.BooleanField()
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-checked_at"]


class InformationRequest(models.Model):
    """A pend: what we asked the provider for, by when, and their answer."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    care_request = models.ForeignKey(
        CareRequest, on_delete=models.CASCADE, related_name="information_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    description = models.TextField(help_text="What is needed, in words the provider understands.")
    due_by = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    response = models.TextField(blank=True)
    provider_notified_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the provider organisation was e-mailed that information is needed.",
    )

    class Meta:
        ordering = ["-requested_at"]

    @property
    def is_open(self) -> bool:
        return self.answered_at is None


class CaseNote(models.Model):
    class Visibility(models.TextChoices):
        INTERNAL = "internal", "Internal (staff only)"
        PROVIDER = "provider", "Visible to the provider"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    care_request = models.ForeignKey(CareRequest, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
