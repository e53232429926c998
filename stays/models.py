"""Inpatient stays: the admission, its levels of care over time, and the concurrent reviews that
approve its days (DESIGN §11, ADR 0006). A concurrent review is an ordinary CareRequest (intake's
clocks, grants, rules and determinations all apply); StayReview ties it to the stay."""

import uuid

from django.conf import settings
from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from intake.models import CareRequest, Member, Provider
from um_portal.accounts.permissions import user_has_role
from um_portal.accounts.roles import Role


class LevelOfCare(models.TextChoices):
    ACUTE = "acute", "Acute inpatient"
    OBSERVATION = "observation", "Observation"
    ICU = "icu", "Intensive care"
    SNF = "snf", "Skilled nursing facility"
    ACUTE_REHAB = "acute_rehab", "Acute inpatient rehabilitation"
    LTACH = "ltach", "Long-term acute care hospital"


# The UB-04 room-and-board revenue code a day at each level is billed and requested under.
REVENUE_CODE_BY_LEVEL = {
    LevelOfCare.ACUTE: "0120",
    LevelOfCare.OBSERVATION: "0762",
    LevelOfCare.ICU: "0200",
    LevelOfCare.SNF: "0191",
    LevelOfCare.ACUTE_REHAB: "0128",
    LevelOfCare.LTACH: "0129",
}
LEVEL_BY_REVENUE_CODE = {code: level for level, code in REVENUE_CODE_BY_LEVEL.items()}


class AdmissionType(models.TextChoices):
    EMERGENCY = "emergency", "Emergency"
    URGENT = "urgent", "Urgent"
    ELECTIVE = "elective", "Elective"


class DischargeDisposition(models.TextChoices):
    HOME = "home", "Home or self-care"
    HOME_HEALTH = "home_health", "Home with home health"
    SNF = "snf", "Skilled nursing facility"
    REHAB = "rehab", "Inpatient rehabilitation"
    LTACH = "ltach", "Long-term acute care"
    HOSPICE = "hospice", "Hospice"
    AMA = "ama", "Left against medical advice"
    EXPIRED = "expired", "Expired"
    OTHER = "other", "Other"


class StayStatus(models.TextChoices):
    IN_HOUSE = "in_house", "In house"
    DISCHARGED = "discharged", "Discharged"


def _staff_or_facility(instance: "Stay", user) -> bool:
    if user_has_role(user, Role.INTAKE, Role.NURSE, Role.DIRECTOR):
        return True
    return (
        user_has_role(user, Role.PROVIDER)
        and user.provider_organization_id is not None
        and user.provider_organization_id == instance.organization_id
    )


class Stay(ConcurrentTransitionMixin, models.Model):
    """One inpatient admission of a member at a facility."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="stays")
    coverage = models.ForeignKey("intake.Coverage", on_delete=models.PROTECT, related_name="+")
    facility = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="stays")
    organization = models.ForeignKey(
        "accounts.ProviderOrganization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stays",
        help_text="The facility's portal organisation: its users see this stay.",
    )
    attending = models.ForeignKey(
        Provider, null=True, blank=True, on_delete=models.PROTECT, related_name="attended_stays"
    )
    admission_type = models.CharField(max_length=10, choices=AdmissionType.choices)
    level_of_care = models.CharField(
        max_length=12, choices=LevelOfCare.choices, help_text="The current level of care."
    )
    diagnoses = models.JSONField(default=list, help_text="Admitting ICD-10-CM codes.")
    drg = models.CharField("DRG", max_length=4, blank=True)
    admitted_at = models.DateTimeField()
    expected_discharge = models.DateField(null=True, blank=True)
    discharged_at = models.DateTimeField(null=True, blank=True)
    disposition = models.CharField(max_length=12, choices=DischargeDisposition.choices, blank=True)
    status = FSMField(
        max_length=12, choices=StayStatus.choices, default=StayStatus.IN_HOUSE, protected=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-admitted_at"]
        indexes = [
            models.Index(fields=["member", "status"], name="stay_member_status"),
            models.Index(fields=["organization", "-admitted_at"], name="stay_org_recent"),
            models.Index(fields=["status", "facility"], name="stay_census"),
        ]

    def __str__(self) -> str:
        return f"{self.member} at {self.facility.name} ({self.admitted_at:%Y-%m-%d})"

    @transition(
        field=status,
        source=StayStatus.IN_HOUSE,
        target=StayStatus.DISCHARGED,
        permission=_staff_or_facility,
    )
    def discharge(self) -> None:
        """The member left the facility; the service records when and where to."""


class LevelOfCareSegment(models.Model):
    """The stay's level of care from a date; a change (e.g. acute → SNF) adds a segment."""

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="segments")
    level_of_care = models.CharField(max_length=12, choices=LevelOfCare.choices)
    starts_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["stay", "starts_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["stay", "starts_on"], name="stay_segment_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.get_level_of_care_display()} from {self.starts_on}"


class StayReview(models.Model):
    """A concurrent review of the stay: the CareRequest that asks for days, the authorization it
    extends, and the next review date set when it is decided. The days approved and denied are
    the decision on the request's service line (determinations write it), never copied here."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    stay = models.ForeignKey(Stay, on_delete=models.PROTECT, related_name="reviews")
    care_request = models.OneToOneField(
        CareRequest, on_delete=models.PROTECT, related_name="stay_review"
    )
    extends = models.ForeignKey(
        CareRequest,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="extended_by",
        help_text="The earlier authorization of this stay that this request asks to extend.",
    )
    sequence = models.PositiveSmallIntegerField(help_text="1 for the admission review.")
    level_of_care = models.CharField(max_length=12, choices=LevelOfCare.choices)
    days_requested = models.PositiveSmallIntegerField()
    next_review_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["stay", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["stay", "sequence"], name="stay_review_sequence")
        ]

    def __str__(self) -> str:
        return f"Review {self.sequence} of {self.stay_id}"


class DischargePlanningNote(models.Model):
    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="planning_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]


class ExpectedLengthOfStay(models.Model):
    """Geometric mean length of stay per DRG or diagnosis group: what "expected" means on the
    stay view and in the reports. Admin data; the demo rows are illustrative, not CMS values."""

    drg = models.CharField("DRG", max_length=4, blank=True)
    diagnosis_prefix = models.CharField(
        max_length=8, blank=True, help_text="ICD-10-CM prefix, e.g. I50 for heart failure."
    )
    description = models.CharField(max_length=150)
    geometric_mean_days = models.DecimalField(max_digits=5, decimal_places=1)
    is_demo_value = models.BooleanField(
        default=True, help_text="Illustrative value: replace it with the plan's table."
    )

    class Meta:
        ordering = ["drg", "diagnosis_prefix"]
        verbose_name = "expected length of stay (GMLOS)"
        verbose_name_plural = "expected lengths of stay (GMLOS)"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(drg="", diagnosis_prefix=""),
                name="gmlos_has_drg_or_diagnosis",
            )
        ]

    def __str__(self) -> str:
        return f"{self.drg or self.diagnosis_prefix}: {self.geometric_mean_days} d"
