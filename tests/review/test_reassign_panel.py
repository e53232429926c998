"""Reassignment from the pages: the queue's lead on the review case view, a UM manager on the
intake case page; each candidate with their load and the queue's skills they lack."""

import pytest
from django.urls import reverse

from intake.models import CareRequest
from review.services.routing import case_get_next, case_reassign
from tests.review.routing_support import case_in_review, make_queue, make_reviewer
from um_portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(intake_specialist):
    lead = make_reviewer(username="lead", skills=("imaging",))
    queue = make_queue("imaging", skills=("imaging",), lead=lead)
    holder = make_reviewer(queues=[queue], skills=("imaging",), username="holder")
    case = case_in_review(intake_specialist)
    assert case_get_next(reviewer=holder) == case
    busy = make_reviewer(skills=("imaging",), capacity=1, username="busy")
    busy_case = case_in_review(intake_specialist)
    CareRequest.objects.filter(pk=busy_case.pk).update(assigned_to=busy)
    unskilled = make_reviewer(username="unskilled")
    elsewhere = make_reviewer(states=("NJ",), username="elsewhere")
    return {
        "case": case,
        "lead": lead,
        "holder": holder,
        "busy": busy,
        "unskilled": unskilled,
        "elsewhere": elsewhere,
    }


def _options(response):
    return {o.user.username: o for o in response.context["options"]}


def test_the_lead_sees_each_candidates_load_and_missing_skills(client_for, setting):
    client = client_for(setting["lead"])
    page = client.get(reverse("review:case", args=[setting["case"].pk]))
    html = page.content.decode()
    assert 'id="reassign"' in html
    name = {key: setting[key].display_name for key in ("busy", "unskilled", "holder", "elsewhere")}
    assert f"{name['busy']} — 1 of 1 open · at or over capacity" in html
    assert f"{name['unskilled']} — 0 of 25 open · lacks imaging" in html
    assert f"{name['holder']} — 1 of 25 open (has it now)" in html
    assert name["elsewhere"] not in html  # not licensed in the member's state


def test_a_reviewer_who_does_not_lead_the_queue_sees_no_panel(client_for, setting):
    page = client_for(setting["holder"]).get(reverse("review:case", args=[setting["case"].pk]))
    assert 'id="reassign"' not in page.content.decode()


def test_a_manager_reassigns_from_the_intake_case_page(client_for, manager, setting):
    client = client_for(manager)
    case = setting["case"]
    page = client.get(reverse("intake:case", args=[case.pk])).content.decode()
    assert 'id="reassign"' in page
    response = client.post(
        reverse("review:reassign", args=[case.pk]),
        {"to": str(setting["unskilled"].pk), "back": "intake"},
    )
    assert response["Location"] == reverse("intake:case", args=[case.pk])
    case.refresh_from_db()
    assert case.assigned_to == setting["unskilled"]


def test_intake_sees_no_panel(client_for, intake_specialist, setting):
    page = client_for(intake_specialist).get(reverse("intake:case", args=[setting["case"].pk]))
    assert 'id="reassign"' not in page.content.decode()


def test_the_history_records_what_the_lead_overrode(setting):
    case_reassign(case=setting["case"], to_user=setting["busy"], by=setting["lead"])
    event = AuditEvent.objects.get(action="case.reassigned")
    assert event.data["warnings"] == ["at capacity: 1 of 1 open"]
    assert "(at capacity: 1 of 1 open)." in event.summary
    case_reassign(case=setting["case"], to_user=setting["unskilled"], by=setting["lead"])
    latest = AuditEvent.objects.filter(action="case.reassigned").order_by("-at").first()
    assert latest.data["warnings"] == ["lacks imaging"]


def test_a_bad_choice_returns_to_the_page_with_the_message(client_for, setting):
    client = client_for(setting["lead"])
    case = setting["case"]
    response = client.post(
        reverse("review:reassign", args=[case.pk]),
        {"to": str(setting["elsewhere"].pk)},
        follow=True,
    )
    assert "not licensed to review cases for NY members" in response.content.decode()
    case.refresh_from_db()
    assert case.assigned_to == setting["holder"]
