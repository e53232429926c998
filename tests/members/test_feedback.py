"""The member rates their own decided request once; the manager sees it in the members' table."""

import pytest

from intake.models.care_request import CareRequestStatus
from quality.models import Feedback
from quality.selectors.feedback import MEMBERS, PROVIDERS, feedback_summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client, member_user):
    client.force_login(member_user)
    return client


def test_the_member_rates_once(member_client, member_user, denied_case):
    url = f"/member/requests/{denied_case.pk}/feedback/"
    done = member_client.post(url, {"rating": "4", "comment": "Clear letter."})
    assert done.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.member_id, feedback.organization_id, feedback.rating) == (
        denied_case.member_id,
        None,
        4,
    )
    again = member_client.post(url, {"rating": "1"})
    assert again.status_code == 400
    assert "already rated" in again.content.decode()
    assert Feedback.objects.count() == 1
    page = member_client.get(f"/member/requests/{denied_case.pk}/").content.decode()
    assert "You rated it 4 of 5" in page


def test_bad_input_and_undecided_requests_write_nothing(member_client, denied_case):
    url = f"/member/requests/{denied_case.pk}/feedback/"
    assert member_client.post(url, {"rating": "9"}).status_code == 400
    denied_case.__class__.objects.filter(pk=denied_case.pk).update(
        status=CareRequestStatus.MD_REVIEW
    )
    assert member_client.post(url, {"rating": "3"}).status_code == 400
    assert not Feedback.objects.exists()


def test_another_members_request_cannot_be_rated(member_client, other_case):
    response = member_client.post(f"/member/requests/{other_case.pk}/feedback/", {"rating": "5"})
    assert response.status_code == 404
    assert not Feedback.objects.exists()


def test_the_manager_sees_members_and_providers_apart(
    member_client, denied_case, client_for, manager
):
    member_client.post(f"/member/requests/{denied_case.pk}/feedback/", {"rating": "2"})
    assert feedback_summary(PROVIDERS) == []
    (row,) = feedback_summary(MEMBERS)
    assert (row.count, row.average, row.distribution) == (1, 2.0, (0, 1, 0, 0, 0))
    response = client_for(manager).get("/quality/feedback.csv?from=members")
    csv = b"".join(response.streaming_content).decode()
    assert csv.splitlines()[1].endswith(",1,2.0,0,1,0,0,0")
