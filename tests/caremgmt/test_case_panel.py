"""The member's referrals on the 360° case view: one query however many."""

import pytest
from django.urls import reverse

from caremgmt.models import Referral
from caremgmt.services.referrals import referral_create_by_hand
from tests.caremgmt.conftest import move
from tests.factories import make_case
from tests.review.conftest import answer_all
from tests.review.test_case_view import CASE_VIEW_QUERIES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("n", [0, 3])
def test_the_case_view_shows_the_members_referrals_in_a_fixed_number_of_queries(
    client_for, review_case, nurse, intake_specialist, django_assert_num_queries, n
):
    case = review_case(assign_to=nurse)
    for i in range(n):  # earlier cases of the same member, each referred
        other = make_case(actor=intake_specialist, coverage=case.coverage)
        referral_create_by_hand(actor=nurse, care_request=other, reason=f"Reason {i}")
    answer_all(case, nurse, "met")
    client = client_for(nurse)
    with django_assert_num_queries(CASE_VIEW_QUERIES):
        response = client.get(reverse("review:case", args=[case.pk]))
    body = response.content.decode()
    assert body.count('class="badge referral-') == n
    assert reverse("caremgmt:refer", args=[case.pk]) in body


def test_the_panel_shows_status_and_care_manager(client_for, review_case, nurse, director):
    case = review_case(assign_to=nurse)
    referral = referral_create_by_hand(actor=director, care_request=case, reason="Frail.")
    move(referral, "accept", "record_contact", actor=nurse)
    body = client_for(director).get(reverse("review:case", args=[case.pk])).content.decode()
    assert "Member contacted" in body
    assert "Referred by hand" in body
    assert nurse.display_name in body
    # A director refers but does not work the queue: no link to the referral's page.
    assert reverse("caremgmt:detail", args=[referral.pk]) not in body
    assert Referral.objects.count() == 1
