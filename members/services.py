"""Invitations and the member's own account. Each refusal is a ValidationFailed with field
errors, and writes nothing (except the failed-attempt count, which must survive the refusal)."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from appeals.models import Appeal
from appeals.services.filing import appeal_file
from intake.models import CareRequest, Coverage, Member
from um_portal.accounts.permissions import user_has_role
from um_portal.accounts.roles import Role
from um_portal.audit.services import audit_event
from um_portal.lib.errors import NotPermitted, ValidationFailed

from .models import (
    INVITATION_MAX_FAILURES,
    DataSharingChoice,
    MemberAccount,
    MemberInvitation,
)

INVITING_ROLES = (Role.INTAKE, Role.MANAGER)
# Said for every wrong answer, whichever part was wrong: the page must not confirm a member ID.
IDENTITY_MISMATCH = "The member ID and date of birth do not match our records for this invitation."
LINK_UNUSABLE = "This invitation link cannot be used any more. Call Member Services for a new one."


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_url(token: str) -> str:
    return settings.SITE_URL + reverse("members:join", args=[token])


@transaction.atomic
def member_invite(*, actor, member: Member) -> tuple[MemberInvitation, str]:
    """A new one-time link for `member` (the plan hands it over by mail or phone). Earlier open
    links of the member stop working. Returns the invitation and the token, which is shown
    once and never stored."""
    if not user_has_role(actor, *INVITING_ROLES):
        raise NotPermitted("Only intake or the UM manager may invite a member.")
    now = timezone.now()
    MemberInvitation.objects.filter(
        member=member, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = MemberInvitation.objects.create(
        member=member, token_hash=token_hash(token), created_by=actor, created_at=now
    )
    audit_event(
        actor=actor,
        action="member.invited",
        summary=f"Member {member.pk} invited to sign in.",
        data={"member": str(member.pk), "invitation": str(invitation.pk)},
    )
    return invitation, token


def invitation_for_token(token: str) -> MemberInvitation | None:
    """The open invitation of `token`, or None (unknown, used, revoked or expired)."""
    invitation = (
        MemberInvitation.objects.select_related("member")
        .filter(token_hash=token_hash(token))
        .first()
    )
    return invitation if invitation is not None and invitation.state == "open" else None


@dataclass(frozen=True)
class Acceptance:
    member_number: str
    birth_date: date
    username: str
    password: str


def _identity_matches(member: Member, member_number: str, birth_date: date) -> bool:
    wanted = member_number.strip().upper()
    numbers = Coverage.objects.filter(member=member).values_list("member_number", flat=True)
    return member.birth_date == birth_date and any(n.strip().upper() == wanted for n in numbers)


def member_invitation_accept(*, token: str, answer: Acceptance):
    """Check the member's identity against the invitation's member and create their account.
    A wrong answer counts against the link (INVITATION_MAX_FAILURES, then it is revoked)."""
    with transaction.atomic():
        invitation = (
            MemberInvitation.objects.select_for_update()
            .select_related("member")
            .filter(token_hash=token_hash(token))
            .first()
        )
        if invitation is None or invitation.state != "open":
            raise ValidationFailed(LINK_UNUSABLE, field_errors={"__all__": [LINK_UNUSABLE]})
        if not _identity_matches(invitation.member, answer.member_number, answer.birth_date):
            invitation.failed_attempts += 1
            if invitation.failed_attempts >= INVITATION_MAX_FAILURES:
                invitation.revoked_at = timezone.now()
            invitation.save(update_fields=["failed_attempts", "revoked_at"])
            audit_event(
                actor=None,
                action="member.identity_mismatch",
                summary="A member invitation was answered with a wrong member ID or birth date.",
                data={"invitation": str(invitation.pk), "attempts": invitation.failed_attempts},
            )
            failed = True
        else:
            failed = False
    if failed:  # outside the block: the attempt count above is committed
        raise ValidationFailed(IDENTITY_MISMATCH, field_errors={"__all__": [IDENTITY_MISMATCH]})
    return _account_create(token, answer)


@transaction.atomic
def _account_create(token: str, answer: Acceptance):
    invitation = MemberInvitation.objects.select_for_update().get(token_hash=token_hash(token))
    if invitation.state != "open":  # accepted by a parallel request meanwhile
        raise ValidationFailed(LINK_UNUSABLE, field_errors={"__all__": [LINK_UNUSABLE]})
    User = get_user_model()
    username = answer.username.strip()
    if not username or User.objects.filter(username__iexact=username).exists():
        message = "Choose another user name." if username else "Choose a user name."
        raise ValidationFailed(message, field_errors={"username": [message]})
    member = invitation.member
    user = User(username=username, first_name=member.first_name, last_name=member.last_name)
    try:
        validate_password(answer.password, user)
    except ValidationError as exc:
        raise ValidationFailed(
            "Choose a stronger password.", field_errors={"password": list(exc.messages)}
        ) from exc
    user.set_password(answer.password)
    user.save()
    user.groups.add(Group.objects.get(name=Role.MEMBER))
    MemberAccount.objects.create(user=user, member=member, invitation=invitation)
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit_event(
        actor=user,
        action="member.account_created",
        summary=f"Member {member.pk} created their sign-in.",
        data={"member": str(member.pk), "invitation": str(invitation.pk)},
    )
    return user


def member_appeal_file(*, actor, care_request: CareRequest, reason: str) -> Appeal:
    """The member appeals their own request's adverse decision (a standard appeal; an urgent
    one is asked for by phone, where the plan can judge it, or by the physician)."""
    return appeal_file(
        care_request=care_request,
        actor=actor,
        reason=reason,
        channel=Appeal.Channel.PORTAL,
    )


@transaction.atomic
def data_sharing_set(
    *, actor, member: Member, provider_access_opted_out: bool, payer_to_payer_opted_in: bool
) -> DataSharingChoice:
    """The member's (or staff's, on the member's behalf) CMS-0057-F choices; each change keeps
    its own time, an unchanged choice keeps the time it was made."""
    choice, _ = DataSharingChoice.objects.select_for_update().get_or_create(member=member)
    now = timezone.now()
    changed = []
    if choice.provider_access_opted_out != provider_access_opted_out:
        choice.provider_access_opted_out = provider_access_opted_out
        choice.provider_access_changed_at = now
        changed.append("provider_access")
    if choice.payer_to_payer_opted_in != payer_to_payer_opted_in:
        choice.payer_to_payer_opted_in = payer_to_payer_opted_in
        choice.payer_to_payer_changed_at = now
        choice.payer_to_payer_source = "member" if actor_is_member(actor, member) else "staff"
        changed.append("payer_to_payer")
    if changed:
        choice.changed_by = actor
        choice.save()
        audit_event(
            actor=actor,
            action="members.data_sharing_changed",
            summary="Data-sharing choices changed: " + ", ".join(changed) + ".",
            data={
                "member": str(member.pk),
                "provider_access_opted_out": provider_access_opted_out,
                "payer_to_payer_opted_in": payer_to_payer_opted_in,
            },
        )
    return choice


def actor_is_member(actor, member: Member) -> bool:
    account = getattr(actor, "member_account", None)
    return account is not None and account.member_id == member.pk
