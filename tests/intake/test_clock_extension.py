"""The documented clock extension from the intake case page: intake and managers see the form
while the case waits for information; it posts to review's extension view (the clocks belong
to review), which sends them back to the intake case page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from intake.models import CareRequest
from intake.services.workflow import care_request_request_info
from review.services.clocks import care_request_extend
from tests.intake.case_helpers import case_url
from tests.review.test_clock_extension_views import extend_url, snapshot

pytestmark = pytest.mark.django_db
VALID = {
    "extension-days": "14",
    "extension-reason": "more_information",
    "extension-details": "Operative report requested from the surgeon; it may support approval.",
    "back": "intake",
}
FORM_MARK = 'name="extension-days"'


@pytest.fixture
def pended(received_case, intake_specialist):
    """Intake pended the received case for information."""
    care_request_request_info(
        care_request=received_case,
        actor=intake_specialist,
        description="Send the physician order.",
        due_by=timezone.now() + timedelta(days=2),
    )
    return CareRequest.objects.get(pk=received_case.pk)


@pytest.mark.parametrize("persona", ["intake", "manager"])
def test_the_intake_case_page_offers_the_extension_while_pending(
    client_for, personas, persona, pended
):
    html = client_for(personas[persona]).get(case_url(pended)).content.decode()
    assert f'action="{extend_url(pended)}"' in html
    assert FORM_MARK in html
    assert 'name="back" value="intake"' in html


def test_no_extension_is_offered_before_a_pend(client_for, intake_specialist, received_case):
    html = client_for(intake_specialist).get(case_url(received_case)).content.decode()
    assert FORM_MARK not in html


@pytest.mark.parametrize("persona", ["intake", "manager"])
def test_intake_and_managers_extend_and_return_to_the_intake_case(
    client_for, personas, persona, pended
):
    original = pended.due_at
    client = client_for(personas[persona])
    response = client.post(extend_url(pended), VALID)
    assert response.status_code == 302
    assert response["Location"] == case_url(pended)
    case = CareRequest.objects.get(pk=pended.pk)
    assert (case.due_at, case.original_due_at) == (original + timedelta(days=14), original)
    assert case.extension_reason.startswith("Information that may change the decision is awaited")
    html = client.get(case_url(pended)).content.decode()
    assert "Clock extended by 14 days" in html
    assert "Extended by 14 days:</strong> Information that may change the decision" in html
    local = timezone.localtime(original)
    assert f"Originally due {local:%Y-%m-%d %H:%M} {local.tzname()}." in html
    assert FORM_MARK not in html  # once per case


@pytest.mark.parametrize(
    "change",
    [
        {"extension-days": "0"},
        {"extension-days": "15"},
        {"extension-reason": ""},
        {"extension-details": ""},
    ],
)
def test_bad_input_answers_400_with_the_form_and_writes_nothing(
    client_for, intake_specialist, pended, change
):
    before = snapshot(pended)
    response = client_for(intake_specialist).post(extend_url(pended), {**VALID, **change})
    assert response.status_code == 400
    html = response.content.decode()
    assert FORM_MARK in html
    assert 'class="errorlist" role="alert"' in html
    assert f'href="{case_url(pended)}"' in html  # back to the intake case page
    assert snapshot(pended) == before


def test_a_second_extension_is_refused_with_a_message(
    client_for, intake_specialist, manager, pended
):
    care_request_extend(case=pended, actor=manager, days=2, reason="The member asked: letter.")
    before = snapshot(pended)
    response = client_for(intake_specialist).post(extend_url(pended), VALID)
    assert response.status_code == 409
    assert "it can be extended once" in response.content.decode()
    assert snapshot(pended) == before


@pytest.mark.parametrize("persona", ["provider", "outsider"])
def test_providers_cannot_extend(client_for, personas, persona, pended):
    before = snapshot(pended)
    assert client_for(personas[persona]).post(extend_url(pended), VALID).status_code == 403
    assert snapshot(pended) == before


def test_the_extension_part_costs_one_query_for_its_notices(
    client_for, intake_specialist, pended, django_assert_num_queries
):
    client = client_for(intake_specialist)
    client.get(case_url(pended))
    # As in test_case_page_costs_the_same_queries_however_much_the_case_holds, less the triage
    # checklist condition (triage is not offered while pending): the extension form reads only
    # the case row and the user's roles, both already loaded.
    with django_assert_num_queries(19):
        response = client.get(case_url(pended))
    assert FORM_MARK in response.content.decode()
    care_request_extend(case=pended, actor=intake_specialist, days=3, reason="Member: phone.")
    # Once extended, the page names the written notices of the extension (determinations'
    # letters, member and provider copies): one query for all of them, only on an extended case.
    with django_assert_num_queries(20):
        response = client.get(case_url(pended))
    html = response.content.decode()
    assert "Extended by 3 days" in html
    assert html.count("data-extension-notices") == 1
