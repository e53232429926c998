"""Reference data: plans, members and their coverage, providers, service categories, clocks."""

import uuid
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models

from um_portal.lib.npi import is_valid_npi


class LineOfBusiness(models.TextChoices):
    MEDICARE_ADVANTAGE = "medicare_advantage", "Medicare Advantage"
    MEDICAID = "medicaid", "Medicaid"
    CHIP = "chip", "CHIP"
    EXCHANGE = "exchange", "Exchange (QHP)"
    COMMERCIAL = "commercial", "Commercial"


class Priority(models.TextChoices):
    STANDARD = "standard", "Standard"
    EXPEDITED = "expedited", "Expedited"


class ServiceCategory(models.Model):
    """A family of services (imaging, surgery, DME, ...) used for benefits, checklists, queues."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    name_es = models.CharField("name (Spanish)", max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "service categories"

    def __str__(self) -> str:
        return self.name


class ServiceTranslation(models.Model):
    """A service code's plain name in Spanish, for Spanish member letters and pages (issue 18).
    The English name comes from the code catalogue (intake.apis.coding); this is its Spanish
    counterpart, kept as data so the plan can add codes without a release."""

    code_system = models.CharField(max_length=20)
    code = models.CharField(max_length=10)
    name_es = models.CharField("name (Spanish)", max_length=200)

    class Meta:
        ordering = ["code_system", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code_system", "code"], name="service_translation_unique_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code_system} {self.code}: {self.name_es}"


class Plan(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=150, unique=True)
    line_of_business = models.CharField(max_length=30, choices=LineOfBusiness.choices)
    state = models.CharField(max_length=2, blank=True, help_text="Two-letter state, if regional.")
    covered_categories = models.ManyToManyField(
        ServiceCategory, blank=True, help_text="Service categories this plan's benefits cover."
    )
    member_services_phone = models.CharField(max_length=30, default="1-800-555-0100")
    appeals_address = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Member(models.Model):
    class Language(models.TextChoices):
        ENGLISH = "en", "English"
        SPANISH = "es", "Spanish"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    # Optional: a member created from a PAS bundle may arrive without one (intake verifies it).
    birth_date = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=[("F", "Female"), ("M", "Male"), ("U", "Unknown")])
    address_line = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True)
    postal_code = models.CharField(max_length=10, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    preferred_language = models.CharField(
        max_length=5, choices=Language.choices, default=Language.ENGLISH
    )

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Coverage(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        TERMINATED = "terminated", "Terminated"
        SUSPENDED = "suspended", "Suspended"
        # Created from an outside submission (PAS) for a member we did not know: never in
        # force until intake verifies it and sets it active.
        UNVERIFIED = "unverified", "Unverified (from submission)"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="coverages")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="coverages")
    member_number = models.CharField("member ID", max_length=30, db_index=True)
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        ordering = ["-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "member_number", "effective_from"], name="coverage_unique_period"
            ),
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True)
                | models.Q(effective_to__gte=models.F("effective_from")),
                name="coverage_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_number} ({self.plan})"

    def in_force_on(self, start: date, end: date | None = None) -> bool:
        """True when the coverage is active for every day from start to end."""
        end = end or start
        return (
            self.status == self.Status.ACTIVE
            and self.effective_from <= start
            and (self.effective_to is None or self.effective_to >= end)
        )


def validate_npi(value: str) -> None:
    if not is_valid_npi(value):
        raise ValidationError(
            "%(value)s is not a valid NPI (10 digits with a valid check digit).",
            params={"value": value},
        )


class Provider(models.Model):
    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", "Individual practitioner"
        ORGANIZATION = "organization", "Organisation or facility"

    class Network(models.TextChoices):
        IN = "in", "In network"
        OUT = "out", "Out of network"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    npi = models.CharField("NPI", max_length=10, unique=True, validators=[validate_npi])
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.INDIVIDUAL)
    specialty = models.CharField(max_length=100, blank=True)
    network_status = models.CharField(max_length=3, choices=Network.choices, default=Network.IN)
    state = models.CharField(max_length=2, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    fax = models.CharField(max_length=30, blank=True)
    organization = models.ForeignKey(
        "accounts.ProviderOrganization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="providers",
        help_text="The portal organisation this provider belongs to.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} (NPI {self.npi})"


class RequestTiming(models.TextChoices):
    """When a concurrent request arrives relative to the end of the days already approved."""

    ANY = "any", "Any time"
    # 29 CFR 2560.503-1(f)(2)(ii): an urgent request to extend an ongoing course made at least
    # 24 hours before it ends is decided within 24 hours.
    EARLY = "early", "At least 24 h before the approved days run out"
    LATE = "late", "Less than 24 h before the approved days run out, or none approved yet"


class TurnaroundStandard(models.Model):
    """How long a decision may take, per line of business, priority and kind of review
    (DESIGN §5): prospective requests by priority; concurrent ones by when the extension is asked;
    retrospective ones on the post-service clock, with the one extension it allows."""

    line_of_business = models.CharField(max_length=30, choices=LineOfBusiness.choices)
    priority = models.CharField(max_length=10, choices=Priority.choices)
    request_type = models.CharField(
        max_length=15,
        choices=[
            ("prospective", "Prospective (before service)"),
            ("concurrent", "Concurrent (during a stay or course)"),
            ("retrospective", "Retrospective (after service)"),
        ],
        default="prospective",
    )
    timing = models.CharField(
        max_length=8, choices=RequestTiming.choices, default=RequestTiming.ANY
    )
    hours = models.PositiveIntegerField(help_text="Calendar hours from receipt to decision.")
    extension_days = models.PositiveSmallIntegerField(
        default=14, help_text="The one documented extension this clock allows, in days."
    )
    source = models.CharField(max_length=200, blank=True, help_text="The rule behind it.")

    class Meta:
        ordering = ["line_of_business", "request_type", "priority", "timing"]
        constraints = [
            models.UniqueConstraint(
                fields=["line_of_business", "priority", "request_type", "timing"],
                name="turnaround_unique_by_review_type",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_line_of_business_display()} {self.request_type} {self.priority}"
            f"{'' if self.timing == RequestTiming.ANY else ' ' + self.timing}: {self.hours} h"
        )
