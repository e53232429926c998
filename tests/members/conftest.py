"""Members with sign-ins, and their (denied) requests."""

import hashlib

import pytest
from django.core.files.base import ContentFile

from determinations.models import Letter
from intake.models import Coverage
from members.services import Acceptance, member_invitation_accept, member_invite
from tests.appeals.conftest import (  # noqa: F401 - fixtures reused
    approve,
    criteria_set,
    deny,
    make_denied_case,
    make_md_case,
    md_case,
    reference_data,
)

PASSWORD = "a-long-member-passphrase-42"


def sign_up(member, *, actor, username: str):
    """The member's own path: an invitation, then identity and a password."""
    _, token = member_invite(actor=actor, member=member)
    number = Coverage.objects.filter(member=member).first().member_number
    return member_invitation_accept(
        token=token,
        answer=Acceptance(
            member_number=number,
            birth_date=member.birth_date,
            username=username,
            password=PASSWORD,
        ),
    )


def render_letters(case):
    """Stand in for the letter worker: each letter of `case` gets a stored PDF."""
    for letter in Letter.objects.filter(determination__care_request=case):
        body = f"%PDF-1.4 letter {letter.recipient}".encode()
        letter.pdf.save(f"{letter.pk}.pdf", ContentFile(body), save=False)
        letter.sha256 = hashlib.sha256(body).hexdigest()
        letter.save(update_fields=["pdf", "sha256"])


@pytest.fixture
def denied_case(make_denied_case):  # noqa: F811
    case = make_denied_case()
    render_letters(case)
    return case


@pytest.fixture
def member_user(denied_case, intake_specialist):
    return sign_up(denied_case.member, actor=intake_specialist, username="rosa")


@pytest.fixture
def other_case(make_denied_case):  # noqa: F811
    """Another member's denied request."""
    case = make_denied_case()
    render_letters(case)
    return case
