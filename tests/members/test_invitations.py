"""Invitation links: one time, identity first, only the SHA-256 stored, refusals write nothing."""

import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from intake.models import Coverage
from members.models import INVITATION_MAX_FAILURES, MemberAccount, MemberInvitation
from members.services import (
    IDENTITY_MISMATCH,
    Acceptance,
    member_invitation_accept,
    member_invite,
)
from um_portal.accounts.roles import Role
from um_portal.audit.models import AuditEvent
from um_portal.lib.errors import NotPermitted, ValidationFailed

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db
User = get_user_model()


def answer(member, **changes):
    values = {
        "member_number": Coverage.objects.filter(member=member).first().member_number,
        "birth_date": member.birth_date,
        "username": "rosa",
        "password": PASSWORD,
    }
    values.update(changes)
    return Acceptance(**values)


def test_only_intake_and_the_manager_invite(
    denied_case, intake_specialist, manager, nurse, provider_user, director
):
    member = denied_case.member
    assert member_invite(actor=intake_specialist, member=member)[0].pk
    assert member_invite(actor=manager, member=member)[0].pk
    for outsider in (nurse, director, provider_user):
        with pytest.raises(NotPermitted):
            member_invite(actor=outsider, member=member)


def test_the_token_is_not_stored_and_a_new_link_retires_the_old(denied_case, intake_specialist):
    member = denied_case.member
    first, token = member_invite(actor=intake_specialist, member=member)
    assert first.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in first.token_hash
    second, second_token = member_invite(actor=intake_specialist, member=member)
    first.refresh_from_db()
    assert first.state == "revoked" and second.state == "open"
    with pytest.raises(ValidationFailed):
        member_invitation_accept(token=token, answer=answer(member))
    user = member_invitation_accept(token=second_token, answer=answer(member))
    assert user.has_role(Role.MEMBER)
    assert MemberAccount.objects.get(user=user).member == member
    assert AuditEvent.objects.filter(action="member.account_created").count() == 1


def test_the_member_id_is_matched_whatever_its_case_and_spaces(denied_case, intake_specialist):
    member = denied_case.member
    _, token = member_invite(actor=intake_specialist, member=member)
    number = Coverage.objects.filter(member=member).first().member_number
    user = member_invitation_accept(
        token=token, answer=answer(member, member_number=f"  {number.lower()} ")
    )
    assert user.member_account.member == member


@pytest.mark.parametrize("wrong", ["birth_date", "member_number"])
def test_a_wrong_identity_creates_nothing_and_counts(denied_case, intake_specialist, wrong):
    member = denied_case.member
    invitation, token = member_invite(actor=intake_specialist, member=member)
    bad = (
        {"birth_date": member.birth_date - timedelta(days=1)}
        if wrong == "birth_date"
        else {"member_number": "ZZ0000000"}
    )
    with pytest.raises(ValidationFailed) as refused:
        member_invitation_accept(token=token, answer=answer(member, **bad))
    assert refused.value.message == IDENTITY_MISMATCH  # the same words whichever part was wrong
    assert not User.objects.filter(username="rosa").exists()
    invitation.refresh_from_db()
    assert invitation.failed_attempts == 1 and invitation.state == "open"


def test_too_many_wrong_answers_end_the_link(denied_case, intake_specialist):
    member = denied_case.member
    invitation, token = member_invite(actor=intake_specialist, member=member)
    wrong = answer(member, birth_date=member.birth_date - timedelta(days=3))
    for _ in range(INVITATION_MAX_FAILURES):
        with pytest.raises(ValidationFailed):
            member_invitation_accept(token=token, answer=wrong)
    invitation.refresh_from_db()
    assert invitation.state == "revoked"
    with pytest.raises(ValidationFailed):  # even the right answer now
        member_invitation_accept(token=token, answer=answer(member))
    assert not MemberAccount.objects.exists()


def test_a_used_or_expired_link_does_not_work(denied_case, intake_specialist):
    member = denied_case.member
    _, token = member_invite(actor=intake_specialist, member=member)
    member_invitation_accept(token=token, answer=answer(member))
    with pytest.raises(ValidationFailed):
        member_invitation_accept(token=token, answer=answer(member, username="rosa2"))
    invitation, token = member_invite(actor=intake_specialist, member=member)
    MemberInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(ValidationFailed):
        member_invitation_accept(token=token, answer=answer(member, username="rosa3"))
    assert User.objects.filter(username__startswith="rosa").count() == 1


def test_a_taken_user_name_or_weak_password_is_a_field_error(denied_case, intake_specialist, nurse):
    member = denied_case.member
    invitation, token = member_invite(actor=intake_specialist, member=member)
    with pytest.raises(ValidationFailed) as taken:
        member_invitation_accept(token=token, answer=answer(member, username=nurse.username))
    assert "username" in taken.value.field_errors
    with pytest.raises(ValidationFailed) as weak:
        member_invitation_accept(token=token, answer=answer(member, password="123"))
    assert "password" in weak.value.field_errors
    invitation.refresh_from_db()
    assert invitation.state == "open" and not MemberAccount.objects.exists()


def test_the_join_page_asks_identity_first_and_signs_the_member_in(
    client, denied_case, intake_specialist
):
    member = denied_case.member
    _, token = member_invite(actor=intake_specialist, member=member)
    page = client.get(f"/member/join/{token}/")
    assert page.status_code == 200
    assert member.last_name not in page.content.decode()  # nothing shown before identity
    data = {
        "member_number": Coverage.objects.filter(member=member).first().member_number,
        "birth_date": member.birth_date.isoformat(),
        "username": "rosa",
        "password": PASSWORD,
        "password_again": PASSWORD,
    }
    wrong = client.post(f"/member/join/{token}/", {**data, "birth_date": "1900-01-01"})
    assert wrong.status_code == 400
    assert IDENTITY_MISMATCH in wrong.content.decode()
    done = client.post(f"/member/join/{token}/", data)
    assert done.status_code == 302 and done["Location"] == "/member/"
    assert client.get("/member/").status_code == 200
    assert client.get(f"/member/join/{token}/").status_code == 404  # used


def test_an_unknown_link_is_a_plain_404(client, db):
    response = client.get("/member/join/not-a-real-token/")
    assert response.status_code == 404
    assert "cannot be used" in response.content.decode()


def test_staff_find_a_member_and_get_the_link_once(client_for, intake_specialist, denied_case):
    member = denied_case.member
    number = Coverage.objects.filter(member=member).first().member_number
    client = client_for(intake_specialist)
    found = client.get("/members/", {"q": number})
    assert found.status_code == 200 and member.last_name in found.content.decode()
    invited = client.post(f"/members/{member.pk}/invite/")
    assert invited.status_code == 200
    assert "/member/join/" in invited.content.decode()
    assert MemberInvitation.objects.filter(member=member).count() == 1


@pytest.mark.parametrize("persona", ["nurse", "director", "provider"])
def test_other_roles_cannot_invite(client_for, personas, persona, denied_case):
    client = client_for(personas[persona])
    assert client.get("/members/").status_code == 403
    assert client.post(f"/members/{denied_case.member.pk}/invite/").status_code == 403
    assert not MemberInvitation.objects.exists()
