"""Demo: one member who signed in (login `member`), with a decision and its letters to read,
and one open invitation for another member."""

from django.contrib.auth import get_user_model

from determinations.models import Letter
from intake.models import CareRequest, Coverage, Member
from intake.models.care_request import CareRequestStatus as S
from quality.services.feedback import member_feedback_submit

from .models import MemberAccount
from .services import Acceptance, member_invitation_accept, member_invite

DEMO_MEMBER_USERNAME = "member"


def _member_with_a_denial() -> Member | None:
    """A member whose request was (partly) denied and whose letter is rendered: the member
    pages then show a decision, a reason, the appeal form and a PDF."""
    case = (
        CareRequest.objects.filter(
            status__in=(S.DENIED, S.PARTIALLY_APPROVED),
            determinations__letters__recipient=Letter.Recipient.MEMBER,
            determinations__letters__sha256__gt="",
            member__birth_date__isnull=False,
            member__accounts__isnull=True,
        )
        .exclude(appeals__isnull=False)
        .select_related("member")
        .order_by("member__last_name", "member__first_name", "reference")
        .first()
    )
    return case.member if case else None


def account_user(member):
    return MemberAccount.objects.select_related("user").get(member=member).user


def seed_members(*, users: dict, password: str, log) -> int:
    """Idempotent: nothing is added once the demo member exists."""
    if get_user_model().objects.filter(username=DEMO_MEMBER_USERNAME).exists():
        return 0
    member = _member_with_a_denial()
    if member is None:
        log("Members: no decided demo case with a member letter; no member sign-in made.")
        return 0
    intake = users["intake"]
    _, token = member_invite(actor=intake, member=member)
    coverage = Coverage.objects.filter(member=member).first()
    member_invitation_accept(
        token=token,
        answer=Acceptance(
            member_number=coverage.member_number,
            birth_date=member.birth_date,
            username=DEMO_MEMBER_USERNAME,
            password=password,
        ),
    )
    # The member rates the decided request (quality's feedback, the members' table).
    rated = (
        CareRequest.objects.filter(member=member, status__in=(S.DENIED, S.PARTIALLY_APPROVED))
        .order_by("reference")
        .first()
    )
    member_feedback_submit(
        actor=account_user(member),
        care_request=rated,
        rating=2,
        comment="The letter was clear, but I waited a week for an answer.",
    )
    other = (
        Member.objects.exclude(pk=member.pk)
        .filter(care_requests__isnull=False, accounts__isnull=True)
        .order_by("last_name", "first_name")
        .first()
    )
    if other is not None:
        member_invite(actor=users["manager"], member=other)  # an open link, not yet used
    log(f"Members: {member.full_name} signs in as `{DEMO_MEMBER_USERNAME}`.")
    return MemberAccount.objects.count()
