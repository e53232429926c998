"""The appeal (reconsideration of an adverse determination) and its state machine.

received → in_review → decided_upheld / decided_partially_overturned / decided_overturned;
a Medicare Advantage appeal not fully overturned → forwarded_to_ire → ire_upheld / ire_overturned;
received / in_review → dismissed (with a reason) or withdrawn. docs/state-machines.md is generated
from these transitions (manage.py state_diagrams).
"""

import uuid

from django.conf import settings
from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from determinations.models import Determination, ServiceTiming
from intake.models import CareRequest, LineOfBusiness, Priority, ServiceLine
from intake.models.care_request import is_case_provider
from um_portal.accounts.permissions import user_has_role
from um_portal.accounts.roles import Role
from um_portal.audit.models import AppendOnlyModel
from um_portal.lib.fsm import SafeRefreshMixin, nobody, readable_reference, roles


class AppealStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    IN_REVIEW = "in_review", "In review"
    DECIDED_UPHELD = "decided_upheld", "Decided – denial upheld"
    DECIDED_PARTIALLY_OVERTURNED = "decided_partially_overturned", "Decided – partly overturned"
    DECIDED_OVERTURNED = "decided_overturned", "Decided – overturned"
    FORWARDED_TO_IRE = "forwarded_to_ire", "Forwarded to the independent review entity"
    IRE_UPHELD = "ire_upheld", "Independent review: upheld"
    IRE_OVERTURNED = "ire_overturned", "Independent review: overturned"
    DISMISSED = "dismissed", "Dismissed"
    WITHDRAWN = "withdrawn", "Withdrawn"


A = AppealStatus
OPEN_STATUSES = (A.RECEIVED, A.IN_REVIEW)
DECIDED_STATUSES = (A.DECIDED_UPHELD, A.DECIDED_PARTIALLY_OVERTURNED, A.DECIDED_OVERTURNED)
# Outcomes the independent review entity must see (42 CFR 422.592: an MA plan that affirms its
# denial, in whole or in part, forwards the case automatically).
FORWARDABLE_STATUSES = (A.DECIDED_UPHELD, A.DECIDED_PARTIALLY_OVERTURNED)


def new_reference() -> str:
    """A short reference staff can read over the phone (never the database key)."""
    return readable_reference("AP-")


# --- transition permissions (who) -------------------------------------------------------------


def _may_decide(instance: "Appeal", user) -> bool:
    """42 CFR 422.590(h)(2), 438.406(b)(2), NCQA UM 8: a physician who took no part in the
    decision under appeal, with expertise in the service's field. Nurses never decide."""
    from .permissions import decider_refusal

    return user_has_role(user, Role.DIRECTOR) and decider_refusal(instance, user) is None


def _provider_or_intake(instance: "Appeal", user) -> bool:
    return is_case_provider(instance.care_request, user) or user_has_role(user, Role.INTAKE)


# --- transition conditions (when) -------------------------------------------------------------


def assignee_independent(instance: "Appeal") -> bool:
    """An assigned physician must still be eligible (e.g. not since become the author of a
    reopening of the decision under appeal)."""
    from .permissions import decider_refusal

    return instance.assigned_to is None or decider_refusal(instance, instance.assigned_to) is None


def is_medicare_advantage(instance: "Appeal") -> bool:
    return instance.line_of_business == LineOfBusiness.MEDICARE_ADVANTAGE


class Appeal(SafeRefreshMixin, ConcurrentTransitionMixin, models.Model):
    class Channel(models.TextChoices):
        PORTAL = "portal", "Provider portal"
        API = "api", "API"
        FAX = "fax", "Fax"
        PHONE = "phone", "Phone"
        MAIL = "mail", "Mail"
        MEMBER = "member", "Member's own pages"

    class Requester(models.TextChoices):
        PROVIDER = "provider", "Provider (physician)"
        MEMBER = "member", "Member"
        REPRESENTATIVE = "representative", "Member's representative"

    class DismissalReason(models.TextChoices):
        WITHDRAWN_BY_REQUESTER = "withdrawn_by_requester", "Withdrawn by the requester"
        NOT_A_PARTY = "not_a_party", "The requester is not a party to the decision"
        SERVICE_RECEIVED = "service_received", "Service already received (pre-service appeal)"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=12, unique=True, default=new_reference, editable=False)
    care_request = models.ForeignKey(CareRequest, on_delete=models.PROTECT, related_name="appeals")
    reviewed_determination = models.ForeignKey(
        Determination,
        on_delete=models.PROTECT,
        related_name="appeals",
        help_text="The adverse determination under appeal.",
    )
    status = FSMField(
        max_length=30, choices=AppealStatus.choices, default=A.RECEIVED, protected=True
    )
    line_of_business = models.CharField(max_length=30, choices=LineOfBusiness.choices)
    service_timing = models.CharField(max_length=12, choices=ServiceTiming.choices)
    priority = models.CharField(max_length=10, choices=Priority.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    requester = models.CharField(max_length=15, choices=Requester.choices)
    physician_requested_expedited = models.BooleanField(default=False)
    reason = models.TextField(help_text="Why the requester disagrees, in their words.")

    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField()
    receipt_backdate_reason = models.TextField(blank=True)
    due_at = models.DateTimeField()
    late_filing_good_cause = models.TextField(
        blank=True, help_text="Why a filing after the appeal window was accepted."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_appeals",
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    case_summary = models.TextField(blank=True, help_text="The nurse's summary for the physician.")

    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.OneToOneField(
        Determination,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appeal_decided",
        help_text="The appeal-kind determination that decided it.",
    )
    dismissal_reason = models.CharField(max_length=25, choices=DismissalReason.choices, blank=True)
    closing_note = models.TextField(blank=True)

    ire_forwarded_at = models.DateTimeField(null=True, blank=True)
    ire_case_file = models.FileField(upload_to="appeals/ire/", blank=True)
    ire_case_file_sha256 = models.CharField(max_length=64, blank=True)
    ire_decided_at = models.DateTimeField(null=True, blank=True)
    ire_reference = models.CharField(max_length=40, blank=True)
    ire_effectuated_at = models.DateTimeField(null=True, blank=True)

    at_risk_notified_at = models.DateTimeField(null=True, blank=True)
    breach_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        indexes = [
            models.Index(
                fields=["due_at"],
                name="appeal_open_due",
                condition=models.Q(status__in=OPEN_STATUSES),
            ),
            models.Index(fields=["care_request", "status"], name="appeal_case"),
            models.Index(fields=["assigned_to", "status"], name="appeal_assignee"),
            models.Index(fields=["-created_at", "-id"], name="appeal_newest"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    # --- transitions: change only this model's fields; services save and record events ----

    @transition(
        field=status,
        source=A.RECEIVED,
        target=A.IN_REVIEW,
        permission=roles(Role.NURSE, Role.DIRECTOR, Role.MANAGER),
    )
    def start_review(self) -> None:
        """A nurse prepares the case file or a physician takes it up."""

    @transition(
        field=status,
        source=A.IN_REVIEW,
        target=A.DECIDED_UPHELD,
        permission=_may_decide,
        conditions=[assignee_independent],
    )
    def uphold(self) -> None:
        """Every appealed line stays denied."""

    @transition(
        field=status,
        source=A.IN_REVIEW,
        target=A.DECIDED_PARTIALLY_OVERTURNED,
        permission=_may_decide,
        conditions=[assignee_independent],
    )
    def partially_overturn(self) -> None:
        """Some appealed lines approved (or approved with changes), others stay denied."""

    @transition(
        field=status,
        source=A.IN_REVIEW,
        target=A.DECIDED_OVERTURNED,
        permission=_may_decide,
        conditions=[assignee_independent],
    )
    def overturn(self) -> None:
        """Every appealed line approved as requested."""

    @transition(
        field=status,
        source=list(FORWARDABLE_STATUSES),
        target=A.FORWARDED_TO_IRE,
        permission=nobody,
        conditions=[is_medicare_advantage],
    )
    def forward_to_ire(self) -> None:
        """Automatic for Medicare Advantage (42 CFR 422.592)."""

    @transition(
        field=status,
        source=A.FORWARDED_TO_IRE,
        target=A.IRE_UPHELD,
        permission=roles(Role.INTAKE, Role.MANAGER),
    )
    def record_ire_upheld(self) -> None:
        """The IRE agreed with the plan."""

    @transition(
        field=status,
        source=A.FORWARDED_TO_IRE,
        target=A.IRE_OVERTURNED,
        permission=roles(Role.INTAKE, Role.MANAGER),
    )
    def record_ire_overturned(self) -> None:
        """The IRE reversed the plan: effectuate within 72 hours (42 CFR 422.618(b))."""

    @transition(
        field=status,
        source=list(OPEN_STATUSES),
        target=A.DISMISSED,
        permission=roles(Role.INTAKE, Role.MANAGER, Role.DIRECTOR),
    )
    def dismiss(self, reason: str = "") -> None:
        """42 CFR 422.582(f): dismissed with a reason (withdrawn, not a party, service given)."""
        self.dismissal_reason = reason

    @transition(
        field=status, source=list(OPEN_STATUSES), target=A.WITHDRAWN, permission=_provider_or_intake
    )
    def withdraw(self) -> None:
        """The requester no longer asks for the appeal."""


class AppealLine(models.Model):
    """One appealed service line and the appeal's decision on it."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "Pending"
        UPHELD = "upheld", "Denial upheld"
        OVERTURNED = "overturned", "Overturned – approved"
        MODIFIED = "modified", "Overturned in part – approved with changes"

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="lines")
    service_line = models.ForeignKey(
        ServiceLine, on_delete=models.PROTECT, related_name="appeal_lines"
    )
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.PENDING)

    class Meta:
        ordering = ["appeal", "service_line__sequence"]
        constraints = [
            models.UniqueConstraint(fields=["appeal", "service_line"], name="appeal_line_once")
        ]


class AppealDocument(models.Model):
    """A supporting document of the appeal; the file is an intake Document of the case (one
    storage, one access check, one download view)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="documents")
    document = models.OneToOneField(
        "intake.Document", on_delete=models.PROTECT, related_name="appeal_link"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]


class AppealEvent(AppendOnlyModel):
    """One row per appeal status transition; never changed or deleted."""

    id = models.BigAutoField(primary_key=True)
    appeal = models.ForeignKey(Appeal, on_delete=models.PROTECT, related_name="events")
    transition = models.CharField(max_length=40)
    from_status = models.CharField(max_length=30, choices=AppealStatus.choices)
    to_status = models.CharField(max_length=30, choices=AppealStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Empty for the system.",
    )
    at = models.DateTimeField(db_index=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"
