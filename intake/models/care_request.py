"""The care request (prior-authorization case) and its state machine (DESIGN §2)."""

import uuid

from django.conf import settings
from django.db import models
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from um_portal.accounts.permissions import user_has_role
from um_portal.accounts.roles import Role
from um_portal.audit.models import AppendOnlyModel
from um_portal.lib.fsm import SafeRefreshMixin, nobody, readable_reference, roles

from .reference import Coverage, Member, Priority, Provider


class CareRequestStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    PENDING_INFO = "pending_info", "Pending information"
    NURSE_REVIEW = "nurse_review", "Nurse review"
    MD_REVIEW = "md_review", "Medical director review"
    APPROVED = "approved", "Approved"
    PARTIALLY_APPROVED = "partially_approved", "Partially approved"
    DENIED = "denied", "Denied"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CLOSED_NO_AUTH_REQUIRED = "closed_no_auth_required", "Closed – no authorization required"
    VOIDED = "voided", "Voided"


S = CareRequestStatus
OPEN_STATUSES = (S.DRAFT, S.SUBMITTED, S.PENDING_INFO, S.NURSE_REVIEW, S.MD_REVIEW)
# Cases whose decision clock runs: received and not yet decided (a pend does not stop it).
CLOCK_STATUSES = (S.SUBMITTED, S.PENDING_INFO, S.NURSE_REVIEW, S.MD_REVIEW)
DECIDED_STATUSES = (S.APPROVED, S.PARTIALLY_APPROVED, S.DENIED)
FINAL_STATUSES = (*DECIDED_STATUSES, S.WITHDRAWN, S.CLOSED_NO_AUTH_REQUIRED, S.VOIDED)


def new_reference() -> str:
    """A short reference staff can read over the phone (never the database key)."""
    return readable_reference("UM-")


# --- transition permissions (who) -------------------------------------------------------------


def is_case_provider(instance: "CareRequest", user) -> bool:
    return (
        user_has_role(user, Role.PROVIDER)
        and user.provider_organization_id is not None
        and user.provider_organization_id == instance.provider_organization_id
    )


def _provider_or_intake(instance: "CareRequest", user) -> bool:
    return is_case_provider(instance, user) or user_has_role(user, Role.INTAKE)


# The reviewer who owns each stage may pend it for information.
_PEND_ROLE_BY_STATUS = {
    S.SUBMITTED: Role.INTAKE,
    S.NURSE_REVIEW: Role.NURSE,
    S.MD_REVIEW: Role.DIRECTOR,
}


def _may_request_info(instance: "CareRequest", user) -> bool:
    role = _PEND_ROLE_BY_STATUS.get(instance.status)
    return role is not None and user_has_role(user, role)


def _may_mark_info_received(instance: "CareRequest", user) -> bool:
    return is_case_provider(instance, user) or user_has_role(
        user, Role.INTAKE, Role.NURSE, Role.DIRECTOR
    )


def _may_approve(instance: "CareRequest", user) -> bool:
    # A nurse may approve at nurse review; at director review only the physician decides.
    if instance.status == S.NURSE_REVIEW:
        return user_has_role(user, Role.NURSE, Role.DIRECTOR)
    return user_has_role(user, Role.DIRECTOR)


# Who may deny for a benefit, eligibility or network reason is per-plan configuration that the
# determinations app owns; it registers its check here at start-up (intake must not import it).
# Without a registered check nobody may: fail closed.
_administrative_authority: list = []


def register_administrative_authority(check) -> None:
    """`check(case, user) -> bool`: the user may deny this case for at least one reason."""
    if check not in _administrative_authority:
        _administrative_authority.append(check)


def _may_deny_administratively(instance: "CareRequest", user) -> bool:
    return any(check(instance, user) for check in _administrative_authority)


# --- transition conditions (when) -------------------------------------------------------------


def eligibility_verified(instance: "CareRequest") -> bool:
    return instance.eligibility_status == CareRequest.Eligibility.VERIFIED


def checklist_complete(instance: "CareRequest") -> bool:
    return not instance.checklist_items.filter(required=True, document__isnull=True).exists()


def has_service_lines(instance: "CareRequest") -> bool:
    return instance.service_lines.exists()


def has_administrative_line_denials(instance: "CareRequest") -> bool:
    # Before the determination of record a line can be denied only administratively (the
    # physician's denials are written with the determination), so a denied line is one held.
    # .all(): the case pages prefetch the lines, so offering the action costs no query there.
    return any(line.decision == "denied" for line in instance.service_lines.all())


class CareRequest(SafeRefreshMixin, ConcurrentTransitionMixin, models.Model):
    class RequestType(models.TextChoices):
        PROSPECTIVE = "prospective", "Prospective (before service)"
        CONCURRENT = "concurrent", "Concurrent (during a stay or course)"
        RETROSPECTIVE = "retrospective", "Retrospective (after service)"

    class ReviewSetting(models.TextChoices):
        OUTPATIENT = "outpatient", "Outpatient"
        INPATIENT = "inpatient", "Inpatient"
        DME = "dme", "Durable medical equipment"
        HOME_HEALTH = "home_health", "Home health"
        BEHAVIORAL_HEALTH = "behavioral_health", "Behavioural health"

    class Channel(models.TextChoices):
        PORTAL = "portal", "Provider portal"
        API = "api", "API (FHIR / REST)"
        FAX = "fax", "Fax"
        PHONE = "phone", "Phone"
        MAIL = "mail", "Mail"

    class Eligibility(models.TextChoices):
        UNVERIFIED = "unverified", "Not yet verified"
        VERIFIED = "verified", "Verified"
        FAILED = "failed", "Not eligible"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=12, unique=True, default=new_reference, editable=False)
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="care_requests")
    coverage = models.ForeignKey(Coverage, on_delete=models.PROTECT, related_name="care_requests")
    requesting_provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="requested_cases"
    )
    servicing_provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="serviced_cases"
    )
    facility = models.ForeignKey(
        Provider, null=True, blank=True, on_delete=models.PROTECT, related_name="facility_cases"
    )
    provider_organization = models.ForeignKey(
        "accounts.ProviderOrganization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="care_requests",
        help_text="The requesting organisation: its portal users see this case.",
    )
    request_type = models.CharField(
        max_length=15, choices=RequestType.choices, default=RequestType.PROSPECTIVE
    )
    review_setting = models.CharField(
        max_length=20, choices=ReviewSetting.choices, default=ReviewSetting.OUTPATIENT
    )
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.STANDARD)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = FSMField(
        max_length=30, choices=CareRequestStatus.choices, default=S.DRAFT, protected=True
    )
    pended_from = models.CharField(
        max_length=30, blank=True, help_text="The status a pend returns to."
    )
    eligibility_status = models.CharField(
        max_length=12, choices=Eligibility.choices, default=Eligibility.UNVERIFIED
    )
    clinical_summary = models.TextField(blank=True, help_text="What the provider tells us.")

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    original_due_at = models.DateTimeField(
        null=True, blank=True, help_text="The due date before an extension."
    )
    extension_reason = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    auth_number = models.CharField("authorization number", max_length=20, blank=True, db_index=True)

    queue = models.ForeignKey(
        "intake.Queue",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="care_requests",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    at_risk_notified_at = models.DateTimeField(null=True, blank=True)
    breach_notified_at = models.DateTimeField(null=True, blank=True)

    external_id = models.CharField(
        max_length=100,
        blank=True,
        help_text="The submitter's identifier, e.g. the PAS Claim identifier.",
    )
    external_system = models.CharField(max_length=200, blank=True)
    claim_number = models.CharField(
        max_length=40,
        blank=True,
        help_text="Retrospective review: the claim the service was billed on.",
    )

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(
                fields=["due_at"],
                name="care_request_open_due",
                condition=models.Q(status__in=CLOCK_STATUSES),
            ),
            models.Index(fields=["status", "priority", "due_at"], name="care_request_worklist"),
            models.Index(
                fields=["provider_organization", "-received_at"], name="care_request_org_recent"
            ),
            models.Index(fields=["member", "-received_at"], name="care_request_member"),
            models.Index(fields=["assigned_to", "status"], name="care_request_assignee"),
            models.Index(fields=["external_system", "external_id"], name="care_request_external"),
            # Reports: decisions and receipts in a date range (reports.selectors).
            models.Index(
                fields=["decided_at"],
                name="care_request_decided",
                condition=models.Q(decided_at__isnull=False),
            ),
            models.Index(fields=["received_at"], name="care_request_received"),
            # Portal and API lists (newest first): PostgreSQL walks this index and probes the
            # organisation's grants until a page is full, instead of sorting every granted row.
            models.Index(fields=["-created_at", "-id"], name="care_request_newest"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_extended(self) -> bool:
        return self.original_due_at is not None

    # --- transitions: change only this model's fields; services save and record events ----

    @transition(
        field=status,
        source=S.DRAFT,
        target=S.SUBMITTED,
        permission=_provider_or_intake,
        conditions=[has_service_lines],
    )
    def submit(self) -> None:
        """A draft is sent; the service sets received_at and due_at."""

    @transition(
        field=status,
        source=S.SUBMITTED,
        target=S.NURSE_REVIEW,
        permission=roles(Role.INTAKE),
        conditions=[eligibility_verified, checklist_complete],
    )
    def triage(self) -> None:
        """Intake hands a verified, complete request to clinical review."""

    @transition(field=status, source=S.SUBMITTED, target=S.APPROVED, permission=nobody)
    def auto_approve(self) -> None:
        """The rules engine approves a request that meets every auto-approval condition."""

    @transition(
        field=status,
        source=[S.SUBMITTED, S.DRAFT],
        target=S.CLOSED_NO_AUTH_REQUIRED,
        permission=roles(Role.INTAKE),
    )
    def close_not_required(self) -> None:
        """No service on the request needs prior authorization."""

    @transition(
        field=status,
        source=[S.SUBMITTED, S.NURSE_REVIEW, S.MD_REVIEW],
        target=S.PENDING_INFO,
        permission=_may_request_info,
    )
    def request_info(self) -> None:
        """Pend for information from the provider. The clock keeps running (CMS-0057-F)."""
        self.pended_from = self.status

    @transition(
        field=status,
        source=S.PENDING_INFO,
        target=RETURN_VALUE(S.SUBMITTED, S.NURSE_REVIEW, S.MD_REVIEW),
        permission=_may_mark_info_received,
    )
    def info_received(self) -> str:
        """The provider answered (or the wait ended): back to the stage that asked."""
        previous, self.pended_from = self.pended_from or S.SUBMITTED, ""
        return previous

    @transition(
        field=status, source=S.NURSE_REVIEW, target=S.MD_REVIEW, permission=roles(Role.NURSE)
    )
    def refer_to_md(self) -> None:
        """The nurse cannot deny (42 CFR 422.566(d)); a doubtful case goes to a physician."""

    @transition(
        field=status, source=S.MD_REVIEW, target=S.NURSE_REVIEW, permission=roles(Role.DIRECTOR)
    )
    def refer_back_to_nurse(self) -> None:
        """The director returns the case to the nurse, e.g. for missing criteria answers."""

    @transition(
        field=status,
        source=[S.NURSE_REVIEW, S.MD_REVIEW],
        target=S.APPROVED,
        permission=_may_approve,
    )
    def approve(self) -> None:
        """Every service line approved as requested."""

    # Only a physician may issue an adverse determination (NCQA UM 4, URAC, 42 CFR 422.566(d)):
    # these two transitions start only from medical director review and need the director role.
    @transition(
        field=status,
        source=S.MD_REVIEW,
        target=S.PARTIALLY_APPROVED,
        permission=roles(Role.DIRECTOR),
    )
    def partially_approve(self) -> None:
        """Some lines approved, others reduced or denied."""

    @transition(field=status, source=S.MD_REVIEW, target=S.DENIED, permission=roles(Role.DIRECTOR))
    def deny(self) -> None:
        """Every line denied."""

    # Not a medical-necessity decision: no clinical judgement, so not only a physician's
    # (per plan and reason, AdministrativeAuthority). Eligibility need not be verified: a
    # member found not eligible is exactly what this decides. A received request has lines;
    # the service refuses to decide none.
    @transition(
        field=status,
        source=[S.SUBMITTED, S.NURSE_REVIEW, S.MD_REVIEW],
        target=RETURN_VALUE(S.DENIED, S.PARTIALLY_APPROVED),
        permission=_may_deny_administratively,
    )
    def deny_administratively(self, some_approved: bool = False) -> str:
        """The last lines still to decide denied for a benefit, eligibility, network, limit or
        duplicate reason: denied, or partially approved when a nurse approved other lines."""
        return S.PARTIALLY_APPROVED if some_approved else S.DENIED

    # The lines left after administrative denials approved in review: part of the request is
    # denied, but no clinical judgement denied it, so whoever may approve may finish the case.
    @transition(
        field=status,
        source=[S.NURSE_REVIEW, S.MD_REVIEW],
        target=S.PARTIALLY_APPROVED,
        permission=_may_approve,
        conditions=[has_administrative_line_denials],
    )
    def approve_remaining(self) -> None:
        """Every line not denied administratively approved as requested."""

    @transition(
        field=status, source=list(OPEN_STATUSES), target=S.WITHDRAWN, permission=_provider_or_intake
    )
    def withdraw(self) -> None:
        """The provider no longer asks for the service."""

    @transition(
        field=status,
        source=list(OPEN_STATUSES),
        target=S.VOIDED,
        permission=roles(Role.INTAKE, Role.MANAGER),
    )
    def void(self) -> None:
        """A duplicate or a request entered in error."""

    @transition(
        field=status,
        source=list(DECIDED_STATUSES),
        target=S.MD_REVIEW,
        permission=roles(Role.DIRECTOR),
    )
    def reopen(self) -> None:
        """A physician reconsiders a decision (e.g. after a peer-to-peer call)."""


class StatusEvent(AppendOnlyModel):
    """One row per status transition; never changed or deleted."""

    id = models.BigAutoField(primary_key=True)
    care_request = models.ForeignKey(
        CareRequest, on_delete=models.PROTECT, related_name="status_events"
    )
    transition = models.CharField(max_length=40)
    from_status = models.CharField(max_length=30, choices=CareRequestStatus.choices)
    to_status = models.CharField(max_length=30, choices=CareRequestStatus.choices)
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
        # Reports: entries into a status (pended, withdrawn, ...) in a date range.
        indexes = [models.Index(fields=["to_status", "at"], name="status_event_to_status")]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"
