"""Configuration the letters read: denial reason codes and appeal deadlines (data, editable in
the admin, so a regulatory change is a row edit rather than a release)."""

from django.db import models

from intake.models import LineOfBusiness


class DenialReason(models.Model):
    """Why a service line was denied or reduced; the label is for staff, the plain-language
    texts are what a letter says."""

    code = models.SlugField(max_length=20, unique=True)
    label = models.CharField(max_length=100)
    plain_language = models.TextField(help_text="English, for letters.")
    plain_language_es = models.TextField(help_text="Spanish, for member letters.")
    requires_criterion = models.BooleanField(
        default=True,
        help_text="A medical-necessity reason must cite the criterion it rests on.",
    )
    is_active = models.BooleanField(default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "label"]

    def __str__(self) -> str:
        return self.label


class AppealPolicy(models.Model):
    """How long a member or provider has to appeal, per line of business."""

    line_of_business = models.CharField(max_length=30, choices=LineOfBusiness.choices, unique=True)
    appeal_days = models.PositiveSmallIntegerField(
        help_text="Calendar days from the date of the letter to file an appeal."
    )
    expedited_decision_hours = models.PositiveSmallIntegerField(
        default=72, help_text="How fast an expedited appeal is decided."
    )
    standard_decision_days = models.PositiveSmallIntegerField(
        default=30, help_text="How fast a standard appeal is decided."
    )
    appeals_phone = models.CharField(max_length=30, blank=True)
    appeals_fax = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["line_of_business"]
        verbose_name_plural = "appeal policies"

    def __str__(self) -> str:
        return f"{self.get_line_of_business_display()}: {self.appeal_days} days"
