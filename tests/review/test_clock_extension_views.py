"""The documented clock extension from the 360° case view: offered only while it is allowed,
bad input answers 400 and writes nothing, a second extension is refused (CMS-0057-F: once, at
most 14 days, for a reason in the member's interest)."""

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from intake.models import CareRequest
from review.forms import ClockExtensionForm
from review.services.clocks import care_request_extend, care_request_may_extend
from review.services.nurse_review import care_request_nurse_request_info
from tests.factories import make_case
from tests.review.test_case_view import CASE_VIEW_QUERIES
from um_portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
VALID = {
    "extension-days": "7",
    "extension-reason": "member_request",
    "extension-details": "Member called on Mar 4 to ask for time to get her records.",
    "back": "review",
}
FORM_MARK = 'name="extension-days"'


def extend_url(case) -> str:
    return reverse("review:extend_clock", args=[case.pk])


def case_url(case) -> str:
    return reverse("review:case", args=[case.pk])


def snapshot(case) -> tuple:
    """Everything an extension writes, to prove a refused one wrote nothing."""
    fresh = CareRequest.objects.get(pk=case.pk)
    return (
        fresh.due_at,
        fresh.original_due_at,
        fresh.extension_reason,
        AuditEvent.objects.filter(action="clock.extended").count(),
    )


@pytest.fixture
def pended(review_case, nurse):
    """A case the nurse pended for information: its clock may be extended."""
    case = review_case(assign_to=nurse)
    care_request_nurse_request_info(
        care_request=case,
        nurse=nurse,
        description="Send the imaging report.",
        due_by=timezone.now() + timedelta(days=2),
    )
    return CareRequest.objects.get(pk=case.pk)


# --- shown or hidden ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["nurse", "director"])
def test_the_clock_panel_offers_the_extension_while_pending_information(
    client_for, personas, persona, pended
):
    html = client_for(personas[persona]).get(case_url(pended)).content.decode()
    assert f'action="{extend_url(pended)}"' in html
    assert FORM_MARK in html
    assert 'name="back" value="review"' in html
    assert "The member asked for more time" in html  # the reasons are a short list


def test_no_extension_is_offered_outside_pending_information(client_for, review_case, nurse):
    case = review_case(assign_to=nurse)
    html = client_for(nurse).get(case_url(case)).content.decode()
    assert FORM_MARK not in html
    assert 'id="clock-extension"' not in html


def test_an_extended_clock_shows_the_extension_and_offers_no_second(client_for, pended, nurse):
    original = pended.due_at
    care_request_extend(case=pended, actor=nurse, days=5, reason="The member asked: by phone.")
    html = client_for(nurse).get(case_url(pended)).content.decode()
    assert "Extended by 5 days:</strong> The member asked: by phone." in html
    local = timezone.localtime(original)
    new = timezone.localtime(original + timedelta(days=5))
    assert f"Now due {new:%Y-%m-%d %H:%M} {new.tzname()}." in html  # the new date, visible
    assert f"Originally due {local:%Y-%m-%d %H:%M} {local.tzname()}." in html
    assert FORM_MARK not in html


def test_the_case_view_costs_the_same_with_the_extension_form(
    client_for, pended, nurse, django_assert_num_queries
):
    client = client_for(nurse)
    client.get(case_url(pended))
    # A pended case offers no administrative denial and no approval: neither the authority
    # query nor approve_remaining's line check is run.
    with django_assert_num_queries(CASE_VIEW_QUERIES - 2):
        response = client.get(case_url(pended))
    assert FORM_MARK in response.content.decode()


# --- extending ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["nurse", "director"])
def test_a_reviewer_extends_the_clock_and_returns_to_the_case(
    client_for, personas, persona, pended
):
    original = pended.due_at
    client = client_for(personas[persona])
    response = client.post(extend_url(pended), VALID)
    assert response.status_code == 302
    assert response["Location"] == case_url(pended)
    case = CareRequest.objects.get(pk=pended.pk)
    assert (case.due_at, case.original_due_at, case.extension_reason) == (
        original + timedelta(days=7),
        original,
        "The member asked for more time: "
        "Member called on Mar 4 to ask for time to get her records.",
    )
    event = AuditEvent.objects.get(action="clock.extended")
    assert (event.actor, event.data["days"]) == (personas[persona], 7)
    html = client.get(response["Location"]).content.decode()
    assert "Clock extended by 7 days; due in" in html
    assert "Extended by 7 days:</strong> The member asked for more time: Member called" in html


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"extension-days": "0"}, "days"),
        ({"extension-days": "15"}, "days"),
        ({"extension-days": "seven"}, "days"),
        ({"extension-days": ""}, "days"),
        ({"extension-reason": ""}, "reason"),
        ({"extension-reason": "backlog"}, "reason"),
        ({"extension-details": "   "}, "details"),
    ],
)
def test_bad_input_answers_400_on_the_form_and_writes_nothing(
    client_for, pended, nurse, change, field
):
    before = snapshot(pended)
    response = client_for(nurse).post(extend_url(pended), {**VALID, **change})
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == [field]
    html = response.content.decode()
    assert FORM_MARK in html
    assert 'class="errorlist" role="alert"' in html
    assert f'href="{case_url(pended)}"' in html  # the way back to the case
    assert snapshot(pended) == before


def test_a_second_extension_is_refused_with_a_message(client_for, pended, nurse, director):
    care_request_extend(case=pended, actor=nurse, days=3, reason="The member asked: by phone.")
    before = snapshot(pended)
    response = client_for(director).post(extend_url(pended), VALID)
    assert response.status_code == 409
    assert "already extended; it can be extended once." in response.content.decode()
    assert snapshot(pended) == before


def test_no_extension_outside_pending_information(client_for, review_case, nurse):
    case = review_case(assign_to=nurse)
    before = snapshot(case)
    response = client_for(nurse).post(extend_url(case), VALID)
    assert response.status_code == 409
    assert "only while the case waits for information" in response.content.decode()
    assert snapshot(case) == before


def test_the_extension_page_shows_the_form_or_why_not(client_for, pended, nurse):
    client = client_for(nurse)
    response = client.get(extend_url(pended), {"back": "review"})
    assert response.status_code == 200
    assert FORM_MARK in response.content.decode()
    care_request_extend(case=pended, actor=nurse, days=2, reason="The member asked: by phone.")
    html = client.get(extend_url(pended)).content.decode()
    assert FORM_MARK not in html
    assert "already extended" in html


# --- who may ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["provider", "outsider"])
def test_providers_are_refused_and_nothing_is_written(client_for, personas, persona, pended):
    before = snapshot(pended)
    client = client_for(personas[persona])
    assert client.post(extend_url(pended), VALID).status_code == 403
    assert client.get(extend_url(pended)).status_code == 403
    assert snapshot(pended) == before


def test_anonymous_is_sent_to_sign_in(client, pended):
    before = snapshot(pended)
    response = client.post(extend_url(pended), VALID)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert snapshot(pended) == before


def test_an_unknown_case_or_a_providers_draft_answers_404(client_for, nurse, provider_user):
    draft = make_case(actor=provider_user, submit=False)
    client = client_for(nurse)
    assert client.post(extend_url(draft), VALID).status_code == 404
    response = client.post(reverse("review:extend_clock", args=[uuid.uuid4()]), VALID)
    assert response.status_code == 404


def test_extending_needs_the_csrf_token(pended, nurse):
    before = snapshot(pended)
    client = Client(enforce_csrf_checks=True)
    client.force_login(nurse)
    assert client.post(extend_url(pended), VALID).status_code == 403
    assert snapshot(pended) == before


@pytest.mark.parametrize(
    ("persona", "may"),
    [("intake", True), ("nurse", True), ("director", True), ("manager", True), ("provider", False)],
)
def test_who_is_offered_the_extension(personas, persona, may, pended, review_case, nurse):
    assert care_request_may_extend(case=pended, user=personas[persona]) is may
    not_pended = review_case(assign_to=nurse)
    assert care_request_may_extend(case=not_pended, user=personas[persona]) is False


def test_no_one_is_offered_a_second_extension(personas, pended, nurse):
    extended = care_request_extend(case=pended, actor=nurse, days=1, reason="Member: phone.")
    assert not any(care_request_may_extend(case=extended, user=u) for u in personas.values())


def test_the_form_stores_the_chosen_reason_and_the_details_as_one_text():
    form = ClockExtensionForm(VALID)
    assert form.is_valid(), form.errors
    assert form.reason_text() == (
        "The member asked for more time: Member called on Mar 4 to ask for time to get her records."
    )
    assert form.cleaned_data["days"] == 7
