"""Only a physician may issue an adverse determination (42 CFR 422.566(d), NCQA UM 4):
tested at the state machine/service level, at every review view, and at the API."""

import pytest
from django.urls import reverse

from intake.models import CareRequest, StatusEvent
from intake.models.care_request import CareRequestStatus as S
from intake.services.transitions import available_actions, care_request_transition
from um_portal.lib.errors import InvalidTransition, NotPermitted

from .conftest import answer_all

pytestmark = pytest.mark.django_db

ADVERSE = {S.DENIED, S.PARTIALLY_APPROVED}


def _status(case) -> str:
    return CareRequest.objects.values_list("status", flat=True).get(pk=case.pk)


@pytest.mark.parametrize("name", ["deny", "partially_approve"])
def test_nurse_cannot_deny_at_director_review(md_review_case, nurse, name):
    with pytest.raises(NotPermitted):
        care_request_transition(care_request=md_review_case, name=name, actor=nurse)
    assert _status(md_review_case) == S.MD_REVIEW
    assert not StatusEvent.objects.filter(care_request=md_review_case, transition=name).exists()


@pytest.mark.parametrize("name", ["deny", "partially_approve"])
def test_nurse_cannot_deny_from_nurse_review(review_case, nurse, name):
    case = review_case()
    answer_all(case, nurse, "not_met")
    with pytest.raises(InvalidTransition):
        care_request_transition(care_request=case, name=name, actor=nurse)
    assert _status(case) == S.NURSE_REVIEW


def test_no_transition_lets_a_nurse_reach_an_adverse_status(review_case, md_review_case, nurse):
    """Walk every transition of the state machine: each one into denied / partially approved
    starts only at director review and refuses the nurse role."""
    field = CareRequest._meta.get_field("status")
    every = [
        t
        for t in field.get_all_transitions(CareRequest)
        if set(getattr(t.target, "allowed_states", None) or [t.target]) & ADVERSE
    ]
    # The exceptions deny nothing for medical necessity: the administrative denial (benefit,
    # eligibility, network), per plan and reason (tests/determinations/test_administrative.py),
    # and approving the lines left after one (only when a line was denied administratively:
    # tests/determinations/test_administrative_mixed.py).
    assert {t.name for t in every} == {
        "deny",
        "partially_approve",
        "deny_administratively",
        "approve_remaining",
    }
    adverse = [t for t in every if t.name not in ("deny_administratively", "approve_remaining")]
    assert {t.source for t in adverse} == {S.MD_REVIEW}
    for case in (review_case(), md_review_case):
        actions = set(available_actions(case, nurse))
        assert not {"deny", "partially_approve", "approve_remaining"} & actions
        for t in adverse:
            assert not t.has_perm(case, nurse)


def test_director_can_deny_at_director_review(md_review_case, director):
    """The same call succeeds for the physician, so the tests above can fail."""
    care_request_transition(care_request=md_review_case, name="deny", actor=director)
    assert _status(md_review_case) == S.DENIED


def _review_urls(case) -> list[str]:
    names = [
        "nurse_review",
        "nurse_approve",
        "refer",
        "request_info",
        "info_received",
        "return_to_nurse",
        "add_note",
    ]
    return [reverse(f"review:{name}", args=[case.pk]) for name in names]


def test_nurse_cannot_deny_through_any_review_view(client_for, md_review_case, nurse):
    client = client_for(nurse)
    payload = {"decision": "deny", "outcome": "denied", "status": "denied", "note": "deny it"}
    for url in _review_urls(md_review_case):
        client.post(url, payload)
        assert _status(md_review_case) == S.MD_REVIEW, url
    response = client.post(reverse("determinations:decide", args=[md_review_case.pk]), payload)
    assert response.status_code == 403
    response = client.post(f"/review/cases/{md_review_case.pk}/deny/", payload)
    assert response.status_code == 404
    assert _status(md_review_case) == S.MD_REVIEW
    assert not StatusEvent.objects.filter(to_status__in=ADVERSE).exists()


def test_nurse_with_unmet_criterion_cannot_approve_or_deny_through_views(
    client_for, review_case, nurse
):
    case = review_case()
    answer_all(case, nurse, "met", first_answer="not_met")
    client = client_for(nurse)
    response = client.post(reverse("review:nurse_approve", args=[case.pk]), {"summary": "ok"})
    assert response.status_code == 400
    response = client.post(reverse("determinations:decide", args=[case.pk]), {"decision": "deny"})
    assert response.status_code == 403
    assert _status(case) == S.NURSE_REVIEW


# The API has no decision endpoint at all: a denial is only ever issued on the director's decision
# page. A nurse trying a "deny" URL, or any of the API's real action endpoints, on a case in
# director review never produces an adverse status.
def test_nurse_cannot_deny_through_the_api(client_for, md_review_case, nurse):
    from um_portal.api_urls import ACTIONS

    client = client_for(nurse)
    response = client.post(
        f"/api/v1/care-requests/{md_review_case.pk}/deny/",
        {"rationale": "Not medically necessary.", "lines": []},
        content_type="application/json",
    )
    assert response.status_code in (403, 404, 405)
    assert not [name for name in ACTIONS if "deny" in name or "approve" in name]
    for action in ACTIONS:
        response = client.post(
            f"/api/v1/care-requests/{md_review_case.pk}/{action}/",
            {"reason": "x", "description": "x", "due_by": "2030-01-01T00:00:00Z"},
            content_type="application/json",
        )
        assert response.status_code in (400, 403, 404, 409), (action, response.status_code)
    assert _status(md_review_case) == S.MD_REVIEW
    assert not StatusEvent.objects.filter(
        care_request=md_review_case, to_status__in=[S.DENIED, S.PARTIALLY_APPROVED]
    ).exists()
