"""A member appeals their own adverse decision from their pages."""

import pytest

from appeals.models import Appeal

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client, member_user):
    client.force_login(member_user)
    return client


def test_the_member_files_an_appeal(member_client, member_user, denied_case):
    response = member_client.post(
        f"/member/requests/{denied_case.pk}/appeal/",
        {"reason": "My back still hurts after eight weeks of exercises."},
    )
    assert response.status_code == 302
    appeal = Appeal.objects.get(care_request=denied_case)
    assert appeal.requester == Appeal.Requester.MEMBER
    assert appeal.channel == Appeal.Channel.MEMBER
    assert appeal.filed_by == member_user
    assert appeal.priority == "standard"
    page = member_client.get(response["Location"]).content.decode()
    assert appeal.reference in page and "Send my appeal" not in page  # one open appeal at a time


def test_an_empty_reason_is_refused_and_writes_nothing(member_client, denied_case):
    response = member_client.post(f"/member/requests/{denied_case.pk}/appeal/", {"reason": " "})
    assert response.status_code == 400
    assert not Appeal.objects.exists()


def test_an_approved_request_cannot_be_appealed(
    member_client, make_denied_case, member_user, denied_case
):
    approved = make_denied_case(outcomes=["approve", "approve"])
    approved.__class__.objects.filter(pk=approved.pk).update(member=denied_case.member)
    response = member_client.post(
        f"/member/requests/{approved.pk}/appeal/", {"reason": "Please look again."}
    )
    assert response.status_code == 400
    assert "no adverse decision" in response.content.decode()
    assert not Appeal.objects.exists()
