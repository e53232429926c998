"""Workflow actions posted from the intake case page: each runs its service, and each refusal
shows why and writes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from intake.models import CareRequest, InformationRequest, StatusEvent
from intake.services.eligibility import eligibility_check_record
from tests.factories import make_case
from tests.intake.case_helpers import (
    STAFF_ONLY,
    action_url,
    case_url,
    snapshot,
)
from tests.intake.conftest import force_status
from um_portal.audit.models import AuditEvent


@pytest.mark.django_db
def test_triage_sends_the_case_to_nurse_review(client_for, intake_specialist, ready_case):
    response = client_for(intake_specialist).post(
        action_url(ready_case, "triage"), {"triage-note": "Complete."}
    )
    assert response.status_code == 302
    assert response["Location"] == case_url(ready_case)
    assert CareRequest.objects.get(pk=ready_case.pk).status == "nurse_review"
    event = StatusEvent.objects.get(care_request=ready_case, transition="triage")
    assert (event.actor, event.note) == (intake_specialist, "Complete.")


@pytest.mark.django_db
def test_triage_before_eligibility_is_refused_with_the_reason(
    client_for, intake_specialist, received_case
):
    before = snapshot(received_case)
    response = client_for(intake_specialist).post(action_url(received_case, "triage"), {})
    assert response.status_code == 409
    assert "Verify the member&#x27;s eligibility and benefits first." in response.content.decode()
    assert snapshot(received_case) == before


@pytest.mark.django_db
def test_triage_with_a_missing_document_is_refused(
    client_for, intake_specialist, organization, imaging_checklist
):
    case = make_case(actor=intake_specialist, organization=organization)
    eligibility_check_record(care_request=case, actor=intake_specialist)
    before = snapshot(case)
    response = client_for(intake_specialist).post(action_url(case, "triage"), {})
    assert response.status_code == 409
    assert "Required documents are missing from the checklist." in response.content.decode()
    assert snapshot(case) == before


@pytest.mark.django_db
def test_manager_triage_is_refused_as_not_permitted(client_for, manager, ready_case):
    before = snapshot(ready_case)
    response = client_for(manager).post(action_url(ready_case, "triage"), {})
    assert response.status_code == 403
    assert "Your role may not take this action on this case." in response.content.decode()
    assert snapshot(ready_case) == before


@pytest.mark.django_db
@pytest.mark.parametrize("persona", STAFF_ONLY)
@pytest.mark.parametrize(
    "action", ["triage", "request_info", "info_received", "close_not_required", "withdraw", "void"]
)
def test_others_cannot_post_intake_actions(client_for, personas, ready_case, persona, action):
    before = snapshot(ready_case)
    response = client_for(personas[persona]).post(
        action_url(ready_case, action),
        {f"{action}-note": "x", f"{action}-reason_kind": "duplicate", f"{action}-description": "x"},
    )
    assert response.status_code == 403
    assert snapshot(ready_case) == before


@pytest.mark.django_db
def test_action_not_possible_in_the_current_state_is_409(client_for, intake_specialist, ready_case):
    force_status(ready_case, "nurse_review")
    before = snapshot(ready_case)
    response = client_for(intake_specialist).post(
        action_url(ready_case, "close_not_required"), {"close_not_required-note": "x"}
    )
    assert response.status_code == 409
    assert (
        "This action (close not required) is not possible while the case is nurse review."
        in response.content.decode()
    )
    assert snapshot(ready_case) == before


@pytest.mark.django_db
def test_unknown_action_is_404(client_for, intake_specialist, ready_case):
    before = snapshot(ready_case)
    response = client_for(intake_specialist).post(action_url(ready_case, "deny"), {})
    assert response.status_code == 404
    assert snapshot(ready_case) == before


@pytest.mark.django_db
def test_actions_need_post(client_for, intake_specialist, ready_case):
    assert client_for(intake_specialist).get(action_url(ready_case, "triage")).status_code == 405


@pytest.mark.django_db
def test_request_information_pends_the_case(client_for, intake_specialist, received_case):
    due_by = (timezone.localtime() + timedelta(days=2)).replace(second=0, microsecond=0)
    response = client_for(intake_specialist).post(
        action_url(received_case, "request_info"),
        {
            "request_info-description": "Office notes from the last 90 days.",
            "request_info-due_by": due_by.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    case = CareRequest.objects.get(pk=received_case.pk)
    assert (case.status, case.pended_from) == ("pending_info", "submitted")
    info = InformationRequest.objects.get()
    assert (info.description, info.due_by, info.requested_by) == (
        "Office notes from the last 90 days.",
        due_by,
        intake_specialist,
    )


@pytest.mark.django_db
def test_request_information_due_in_the_past_is_a_field_error(
    client_for, intake_specialist, received_case
):
    before = snapshot(received_case)
    past = timezone.localtime() - timedelta(hours=1)
    response = client_for(intake_specialist).post(
        action_url(received_case, "request_info"),
        {
            "request_info-description": "Notes",
            "request_info-due_by": past.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 400
    forms = {a["name"]: a["form"] for a in response.context["actions"]}
    assert forms["request_info"].errors == {"due_by": ["Choose a time in the future."]}
    assert snapshot(received_case) == before


@pytest.mark.django_db
def test_request_information_without_description_is_a_form_error(
    client_for, intake_specialist, received_case
):
    before = snapshot(received_case)
    response = client_for(intake_specialist).post(action_url(received_case, "request_info"), {})
    assert response.status_code == 400
    forms = {a["name"]: a["form"] for a in response.context["actions"]}
    assert set(forms["request_info"].errors) == {"description", "due_by"}
    assert snapshot(received_case) == before


@pytest.mark.django_db
def test_mark_information_received_returns_to_the_stage_that_asked(
    client_for, intake_specialist, received_case
):
    client = client_for(intake_specialist)
    client.post(
        action_url(received_case, "request_info"),
        {
            "request_info-description": "Notes",
            "request_info-due_by": (timezone.localtime() + timedelta(days=1)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
        },
    )
    response = client.post(
        action_url(received_case, "info_received"),
        {"info_received-response": "Faxed notes received."},
    )
    assert response.status_code == 302
    assert CareRequest.objects.get(pk=received_case.pk).status == "submitted"
    info = InformationRequest.objects.get()
    assert (info.answered_by, info.response) == (intake_specialist, "Faxed notes received.")


@pytest.mark.django_db
def test_close_as_not_required(client_for, intake_specialist, received_case):
    response = client_for(intake_specialist).post(
        action_url(received_case, "close_not_required"),
        {"close_not_required-note": "Office visits need no authorization."},
    )
    assert response.status_code == 302
    case = CareRequest.objects.get(pk=received_case.pk)
    assert case.status == "closed_no_auth_required"
    assert case.decided_at is not None
    assert list(case.service_lines.values_list("decision", flat=True)) == ["not_required"]


@pytest.mark.django_db
def test_close_needs_a_reason(client_for, intake_specialist, received_case):
    before = snapshot(received_case)
    response = client_for(intake_specialist).post(
        action_url(received_case, "close_not_required"), {}
    )
    assert response.status_code == 400
    assert snapshot(received_case) == before


@pytest.mark.django_db
def test_void_as_duplicate_links_the_other_case(
    client_for, intake_specialist, received_case, organization
):
    original = make_case(actor=intake_specialist, organization=organization)
    response = client_for(intake_specialist).post(
        action_url(received_case, "void"),
        {
            "void-reason_kind": "duplicate",
            "void-detail": "Faxed twice.",
            "void-duplicate_of": original.reference.lower(),
        },
    )
    assert response.status_code == 302
    assert CareRequest.objects.get(pk=received_case.pk).status == "voided"
    event = StatusEvent.objects.get(care_request=received_case, transition="void")
    assert event.note == "Duplicate: Faxed twice."
    link = AuditEvent.objects.get(action="care_request.duplicate")
    assert link.data == {"duplicate_of": str(original.pk)}


@pytest.mark.django_db
def test_void_with_an_unknown_reference_is_a_field_error(
    client_for, intake_specialist, received_case
):
    before = snapshot(received_case)
    response = client_for(intake_specialist).post(
        action_url(received_case, "void"),
        {"void-reason_kind": "duplicate", "void-duplicate_of": "UM-NOPE2345"},
    )
    assert response.status_code == 400
    forms = {a["name"]: a["form"] for a in response.context["actions"]}
    assert forms["void"].errors == {
        "duplicate_of": ["No other case has the reference UM-NOPE2345."]
    }
    assert snapshot(received_case) == before


@pytest.mark.django_db
def test_manager_may_void_as_entered_in_error(client_for, manager, received_case):
    response = client_for(manager).post(
        action_url(received_case, "void"), {"void-reason_kind": "entered_in_error"}
    )
    assert response.status_code == 302
    event = StatusEvent.objects.get(care_request=received_case, transition="void")
    assert (event.actor, event.note) == (manager, "Entered in error")


@pytest.mark.django_db
def test_withdraw(client_for, intake_specialist, received_case):
    response = client_for(intake_specialist).post(
        action_url(received_case, "withdraw"), {"withdraw-reason": "Provider called to cancel."}
    )
    assert response.status_code == 302
    assert CareRequest.objects.get(pk=received_case.pk).status == "withdrawn"
