"""Configuration the letters read: denial reason codes and appeal deadlines (data, editable in
the admin, so a regulatory change is a row edit rather than a release)."""

from django.db import models

from intake.models import LineOfBusiness, Priority


class DenialReason(models.Model):
    """Why a service line was denied or reduced; the label is for staff, the plain-language
    texts are what a letter says."""

    code = models.SlugField(max_length=20, unique=True)
    label = models.CharField(max_length=100)
    plain_language = models.TextField(help_text="English, for letters.")
    plain_language_es = models.TextField(help_text="Spanish, for member letters.")
    # The provider's letter speaks to the doctor about the patient ("for the patient"), never to
    # the member ("for you"); empty falls back to a neutral wording in the letter context.
    plain_language_provider = models.TextField(
        blank=True, help_text="English, for provider letters: about the patient, not to them."
    )
    requires_criterion = models.BooleanField(
        default=True,
        help_text="A medical-necessity reason must cite the criterion it rests on.",
    )
    # Benefit, eligibility and network reasons: no clinical judgement, so a plan may let intake
    # or a nurse decide them (AdministrativeAuthority). Medical necessity stays a physician's.
    administrative = models.BooleanField(
        default=False,
        help_text="A benefit, eligibility or network reason, not a medical-necessity one.",
    )
    is_active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "label"]

    def __str__(self) -> str:
        return self.label


class AppealPolicy(models.Model):
    """How long a member or provider has to appeal, per line of business, and where to file.
    How fast the plan must decide an appeal is AppealTurnaround."""

    line_of_business = models.CharField(max_length=30, choices=LineOfBusiness.choices, unique=True)
    appeal_days = models.PositiveSmallIntegerField(
        help_text="Calendar days from the date of the letter to file an appeal."
    )
    appeals_phone = models.CharField(max_length=30, blank=True)
    appeals_fax = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["line_of_business"]
        verbose_name_plural = "appeal policies"

    def __str__(self) -> str:
        return f"{self.get_line_of_business_display()}: {self.appeal_days} days"


class ServiceTiming(models.TextChoices):
    """Whether the appealed service was still to come (pre-service) or already given (a payment
    or retrospective appeal, post-service); the deadlines differ."""

    PRE_SERVICE = "pre_service", "Pre-service"
    POST_SERVICE = "post_service", "Post-service (payment)"


class AppealTurnaround(models.Model):
    """How fast an appeal must be decided, per line of business × pre/post-service × priority.

    A missing row means that combination does not exist: e.g. no expedited appeal of a payment
    denial (42 CFR 422.584(a)), so filing one is refused."""

    line_of_business = models.CharField(max_length=30, choices=LineOfBusiness.choices)
    service_timing = models.CharField(max_length=12, choices=ServiceTiming.choices)
    priority = models.CharField(max_length=10, choices=Priority.choices)
    hours = models.PositiveIntegerField(help_text="Calendar hours from receipt to decision.")
    source = models.CharField(max_length=200, blank=True, help_text="The rule behind it.")

    class Meta:
        ordering = ["line_of_business", "service_timing", "priority"]
        constraints = [
            models.UniqueConstraint(
                fields=["line_of_business", "service_timing", "priority"],
                name="appeal_turnaround_unique",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_line_of_business_display()} {self.get_service_timing_display()} "
            f"{self.priority}: {self.hours} h"
        )
