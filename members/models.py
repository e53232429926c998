"""A member's sign-in: the plan invites the member with a one-time link, the member proves who
they are (member ID and birth date) and chooses a password; the account then sees only that
member's requests."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from intake.models import Member

INVITATION_DAYS = 14
# Wrong member ID / birth date answers before the link stops working (the plan sends a new one).
INVITATION_MAX_FAILURES = 5


def _invitation_expiry():
    return timezone.now() + timedelta(days=INVITATION_DAYS)


class MemberInvitation(models.Model):
    """A one-time link; only the SHA-256 of its token is stored, so a database reader cannot
    use an open invitation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.member} ({self.state})"

    @property
    def state(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"


class MemberAccount(models.Model):
    """Links a member's user account to the member record it may see."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member_account"
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="accounts")
    invitation = models.OneToOneField(
        MemberInvitation, on_delete=models.PROTECT, related_name="account"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user} → {self.member}"


class DataSharingChoice(models.Model):
    """The member's choices under CMS-0057-F: Provider Access is on unless the member opts out;
    Payer-to-Payer exchange happens only after the member opts in. Each change keeps its time and
    who made it (the member, staff on the member's behalf, or a $member-match consent)."""

    member = models.OneToOneField(
        Member, on_delete=models.PROTECT, related_name="data_sharing", primary_key=True
    )
    provider_access_opted_out = models.BooleanField(default=False)
    provider_access_changed_at = models.DateTimeField(null=True, blank=True)
    payer_to_payer_opted_in = models.BooleanField(default=False)
    payer_to_payer_changed_at = models.DateTimeField(null=True, blank=True)
    payer_to_payer_source = models.CharField(
        max_length=200, blank=True, help_text="Where the last payer-to-payer choice came from."
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Data sharing of {self.member_id}"
