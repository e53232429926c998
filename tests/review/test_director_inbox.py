"""A referred case is where a director looks first: the dashboard opens on the cases waiting in
the director's queues (referred first), and the referral leaves an in-app notification."""

import re

import pytest

from review.models import Notification, ReviewerProfile
from review.services.nurse_review import care_request_refer_to_director
from tests.factories import UserFactory
from tests.review.routing_support import make_queue
from um_portal.accounts.roles import Role

pytestmark = pytest.mark.django_db


def refer(case, nurse):
    return care_request_refer_to_director(
        care_request=case, nurse=nurse, summary="Summary.", recommendation="Peer-to-peer."
    )


def listed(response) -> list[str]:
    return re.findall(r'<tr data-case="([0-9a-f-]+)"', response.content.decode())


def test_director_dashboard_opens_on_the_referred_unassigned_case(
    client_for, review_case, nurse, director
):
    case = review_case(assign_to=nurse)
    refer(case, nurse)
    response = client_for(director).get("/review/")
    assert listed(response) == [str(case.pk)]
    body = response.content.decode()
    assert '<option value="waiting" selected>' in body


def test_director_default_keeps_other_queues_out(client_for, review_case, nurse, director):
    mine, other = (
        make_queue("imaging", categories=("imaging",)),
        make_queue("surgery", categories=("surgery",)),
    )
    ReviewerProfile.objects.create(user=director, licensed_states=["NY"]).queues.add(mine)
    imaging = review_case(assign_to=nurse)
    surgery = review_case(assign_to=nurse, code="29881", category_code="surgery")
    refer(imaging, nurse)
    refer(surgery, nurse)
    assert imaging.queue == mine and surgery.queue == other
    assert listed(client_for(director).get("/review/")) == [str(imaging.pk)]


def test_a_director_choosing_assigned_to_me_keeps_it_in_the_links(client_for, director):
    body = client_for(director).get("/review/", {"scope": "mine"}).content.decode()
    assert '<option value="mine" selected>' in body
    assert "scope=mine" in body


def test_referral_notifies_the_directors_of_the_queue(review_case, nurse, director):
    queue = make_queue("imaging", categories=("imaging",))
    other_director = UserFactory(username="md2", roles=[Role.DIRECTOR])
    ReviewerProfile.objects.create(user=director, licensed_states=["NY"]).queues.add(queue)
    ReviewerProfile.objects.create(user=other_director, licensed_states=["NY"])
    case = review_case(assign_to=nurse)
    refer(case, nurse)
    note = Notification.objects.get()
    assert (note.user, note.care_request_id, note.kind) == (director, case.pk, "referred")
    assert note.message == f"{case.reference} was referred to medical director review."


def test_referral_without_queue_directors_notifies_every_director(review_case, nurse, director):
    case = review_case(assign_to=nurse)
    refer(case, nurse)
    assert list(Notification.objects.values_list("user", "kind")) == [(director.pk, "referred")]


def test_referral_notification_shows_on_the_directors_notifications_page(
    client_for, review_case, nurse, director
):
    case = review_case(assign_to=nurse)
    refer(case, nurse)
    body = client_for(director).get("/review/notifications/").content.decode()
    assert "Referred to medical director review" in body
    assert case.reference in body
