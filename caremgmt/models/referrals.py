"""Referral rules (configuration, edited in the admin) and referrals (the care manager's work)."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from um_portal.accounts.permissions import user_has_role
from um_portal.accounts.roles import Role
from um_portal.lib.fsm import SafeRefreshMixin, roles

# Who works the care-management queue. There is no care-manager role yet: the plan's nurses and
# the UM manager do this work (a dedicated role would be a data migration of groups).
CARE_MANAGERS = (Role.NURSE, Role.MANAGER)
# Who may refer a member by hand from the case view: the clinicians who read the case.
REFERRERS = (Role.NURSE, Role.DIRECTOR)


class ReferralRule(models.Model):
    """When an authorization or a stay sends the member to care management."""

    class Kind(models.TextChoices):
        SERVICE = "service", "Service code or category (e.g. a transplant)"
        LENGTH_OF_STAY = "length_of_stay", "Inpatient stay longer than N days"
        READMISSION = "readmission", "Second admission within N days of a discharge"
        DIAGNOSIS = "diagnosis", "Diagnosis (ICD-10-CM prefixes)"

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    codes = models.CharField(
        max_length=500,
        blank=True,
        help_text="Service codes or ICD-10-CM prefixes, separated by spaces or commas "
        "(e.g. 'I50 N18.6' matches I50.9 and N18.6).",
    )
    service_category = models.ForeignKey(
        "intake.ServiceCategory",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Service rules: any service line of this category matches too.",
    )
    days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Length of stay: more than this many inpatient days. Readmission: the window "
        "after a discharge (30 if empty).",
    )
    reason = models.CharField(
        max_length=200, help_text="Shown to the care manager: why this member was referred."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def code_list(self) -> list[str]:
        return [c.strip().upper() for c in self.codes.replace(",", " ").split() if c.strip()]

    def clean(self) -> None:
        if self.kind == self.Kind.SERVICE and not (self.code_list or self.service_category_id):
            raise ValidationError("A service rule needs codes or a service category.")
        if self.kind == self.Kind.DIAGNOSIS and not self.code_list:
            raise ValidationError({"codes": "Give at least one ICD-10-CM prefix."})
        if self.kind == self.Kind.LENGTH_OF_STAY and not self.days:
            raise ValidationError({"days": "Give the number of days."})


class ReferralStatus(models.TextChoices):
    NEW = "new", "New"
    ACCEPTED = "accepted", "Accepted"
    CONTACTED = "contacted", "Member contacted"
    ENROLLED = "enrolled", "Enrolled"
    DECLINED = "declined", "Declined"


OPEN_STATUSES = (ReferralStatus.NEW, ReferralStatus.ACCEPTED, ReferralStatus.CONTACTED)


def owner_or_manager(instance: "Referral", user) -> bool:
    """Once accepted, the referral is the accepting care manager's; the UM manager may step in."""
    if user_has_role(user, Role.MANAGER):
        return True
    return user_has_role(user, *CARE_MANAGERS) and instance.owner_id == user.pk


class Referral(SafeRefreshMixin, ConcurrentTransitionMixin, models.Model):
    """A member handed to care management, by a rule or by hand; once per member and trigger."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    member = models.ForeignKey(
        "intake.Member", on_delete=models.PROTECT, related_name="care_referrals"
    )
    rule = models.ForeignKey(
        ReferralRule,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referrals",
        help_text="Empty for a referral made by hand.",
    )
    care_request = models.ForeignKey(
        "intake.CareRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="care_referrals",
    )
    stay = models.ForeignKey(
        "stays.Stay", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(max_length=500)
    status = FSMField(
        max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.NEW, protected=True
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="care_referrals_owned",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty when a rule made it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    outcome_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "-created_at"], name="referral_queue")]
        constraints = [
            # Idempotent triggers: a rule refers a member once, however often it fires.
            models.UniqueConstraint(
                fields=["member", "rule"],
                condition=models.Q(rule__isnull=False),
                name="referral_once_per_member_rule",
            ),
            # By hand: once per member and case.
            models.UniqueConstraint(
                fields=["member", "care_request"],
                condition=models.Q(rule__isnull=True),
                name="referral_once_per_member_case_by_hand",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral of {self.member} ({self.get_status_display()})"

    @property
    def trigger_label(self) -> str:
        return self.rule.name if self.rule_id else "Referred by hand"

    @transition(
        field=status,
        source=ReferralStatus.NEW,
        target=ReferralStatus.ACCEPTED,
        permission=roles(*CARE_MANAGERS),
    )
    def accept(self, *, by) -> None:
        """A care manager takes the referral; it is theirs from now on."""
        self.owner = by

    @transition(
        field=status,
        source=ReferralStatus.ACCEPTED,
        target=ReferralStatus.CONTACTED,
        permission=owner_or_manager,
    )
    def record_contact(self) -> None:
        """The care manager reached the member."""

    @transition(
        field=status,
        source=ReferralStatus.CONTACTED,
        target=ReferralStatus.ENROLLED,
        permission=owner_or_manager,
    )
    def enroll(self) -> None:
        """The member agreed to a care-management programme."""

    @transition(
        field=status,
        source=[ReferralStatus.ACCEPTED, ReferralStatus.CONTACTED],
        target=ReferralStatus.DECLINED,
        permission=owner_or_manager,
    )
    def decline(self) -> None:
        """The member declined, could not be reached, or does not need care management."""
