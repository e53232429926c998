"""The intake case page with each persona: what it shows, what it offers, and that every
refused POST writes nothing."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from intake.models import (
    CareRequest,
    CaseNote,
    Document,
    EligibilityCheck,
    InformationRequest,
    StatusEvent,
)
from intake.services.documents import document_upload
from intake.services.eligibility import eligibility_check_record
from tests.factories import make_case
from tests.intake.conftest import PDF_BYTES, force_status
from um_portal.audit.models import AccessLog, AuditEvent

STAFF_ONLY = ["nurse", "director", "provider", "outsider"]


def case_url(case):
    return reverse("intake:case", args=[case.pk])


def action_url(case, action):
    return reverse("intake:action", args=[case.pk, action])


def snapshot(case) -> tuple:
    """Everything an action could write, to prove a refused one wrote nothing."""
    fresh = CareRequest.objects.get(pk=case.pk)
    return (
        fresh.status,
        fresh.pended_from,
        fresh.eligibility_status,
        StatusEvent.objects.count(),
        InformationRequest.objects.count(),
        EligibilityCheck.objects.count(),
        CaseNote.objects.count(),
        Document.objects.count(),
        AuditEvent.objects.count(),
    )


def offered_actions(response) -> list[str]:
    return [a["name"] for a in response.context["actions"]]


@pytest.fixture
def ready_case(intake_specialist, organization, imaging_checklist):
    """Eligibility verified and every required document received: ready for triage."""
    case = make_case(actor=intake_specialist, organization=organization)
    eligibility_check_record(care_request=case, actor=intake_specialist)
    document_upload(
        care_request=case,
        actor=intake_specialist,
        kind="clinical_notes",
        name="notes.pdf",
        data=PDF_BYTES,
        channel="fax",
    )
    return CareRequest.objects.get(pk=case.pk)


# --- viewing ------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "status"), [("intake", 200), ("manager", 200)])
def test_case_page_opens_for_intake_and_manager_and_is_logged(
    client_for, personas, received_case, persona, status
):
    response = client_for(personas[persona]).get(case_url(received_case))
    assert response.status_code == status
    log = AccessLog.objects.get()
    assert (log.user, log.case_id, log.action) == (personas[persona], received_case.pk, "view")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", STAFF_ONLY)
def test_case_page_is_refused_to_others_without_logging_a_view(
    client_for, personas, received_case, persona
):
    assert client_for(personas[persona]).get(case_url(received_case)).status_code == 403
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
def test_unknown_case_is_404(client_for, intake_specialist):
    response = client_for(intake_specialist).get(reverse("intake:case", args=[uuid.uuid4()]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_each_open_of_the_case_page_is_logged(client_for, intake_specialist, received_case):
    client = client_for(intake_specialist)
    client.get(case_url(received_case))
    client.get(case_url(received_case))
    assert AccessLog.objects.filter(case_id=received_case.pk, action="view").count() == 2


@pytest.mark.django_db
def test_case_page_shows_the_case(client_for, intake_specialist, organization, imaging_checklist):
    case = make_case(actor=intake_specialist, organization=organization)
    eligibility_check_record(care_request=case, actor=intake_specialist)
    response = client_for(intake_specialist).get(case_url(case))
    html = response.content.decode()
    assert case.reference in html
    assert case.member.full_name in html
    assert case.coverage.member_number in html
    assert case.requesting_provider.npi in html
    assert "CPT 72148" in html
    assert "M54.16" in html
    # Eligibility history: who and the detail.
    assert intake_specialist.display_name in html
    assert "Coverage active and" in html
    # The missing required document is visible at a glance, at the top.
    assert (
        "<strong>1 required document missing:</strong>\n  Clinical notes from the last 90 days"
        in html
    )
    assert [item.description for item in response.context["missing_documents"]] == [
        "Clinical notes from the last 90 days"
    ]
    # And the status history.
    assert "Draft → Submitted" in html
    # Intake works on it here.
    for name in ("eligibility", "document_add", "note_add"):
        assert f'action="{reverse(f"intake:{name}", args=[case.pk])}"' in html


@pytest.mark.django_db
def test_submitted_case_offers_intake_actions_but_not_triage_until_ready(
    client_for, intake_specialist, received_case, imaging_checklist
):
    response = client_for(intake_specialist).get(case_url(received_case))
    assert offered_actions(response) == ["request_info", "close_not_required", "withdraw", "void"]
    assert response.context["triage_blockers"] == [
        "Verify the member's eligibility and benefits first."
    ]
    assert action_url(received_case, "triage") not in response.content.decode()


@pytest.mark.django_db
def test_ready_case_offers_triage(client_for, intake_specialist, ready_case):
    response = client_for(intake_specialist).get(case_url(ready_case))
    assert offered_actions(response) == [
        "triage",
        "request_info",
        "close_not_required",
        "withdraw",
        "void",
    ]
    assert response.context["triage_blockers"] == []
    assert f'action="{action_url(ready_case, "triage")}"' in response.content.decode()


@pytest.mark.django_db
def test_manager_reads_and_may_only_void(client_for, manager, ready_case):
    response = client_for(manager).get(case_url(ready_case))
    assert offered_actions(response) == ["void"]
    html = response.content.decode()
    for name in ("eligibility", "document_add", "note_add"):
        assert f'action="{reverse(f"intake:{name}", args=[ready_case.pk])}"' not in html


@pytest.mark.django_db
def test_pended_case_offers_info_received(client_for, intake_specialist, received_case):
    force_status(received_case, "pending_info", pended_from="submitted")
    response = client_for(intake_specialist).get(case_url(received_case))
    assert offered_actions(response) == ["info_received", "withdraw", "void"]


# --- actions ------------------------------------------------------------------------------------


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


# --- eligibility and notes ------------------------------------------------------------------------


@pytest.mark.django_db
def test_verify_eligibility_records_who_and_when(client_for, intake_specialist, received_case):
    response = client_for(intake_specialist).post(
        reverse("intake:eligibility", args=[received_case.pk])
    )
    assert response.status_code == 302
    check = EligibilityCheck.objects.get()
    assert (check.checked_by, check.eligible, check.coverage_active) == (
        intake_specialist,
        True,
        True,
    )
    assert CareRequest.objects.get(pk=received_case.pk).eligibility_status == "verified"
    page = client_for(intake_specialist).get(case_url(received_case)).content.decode()
    assert check.detail in page


@pytest.mark.django_db
def test_verify_eligibility_for_an_uncovered_service_fails(
    client_for, intake_specialist, organization
):
    from tests.factories import CoverageFactory, PlanFactory

    coverage = CoverageFactory(plan=PlanFactory(covers=["dme"]))
    case = make_case(actor=intake_specialist, organization=organization, coverage=coverage)
    client_for(intake_specialist).post(reverse("intake:eligibility", args=[case.pk]))
    assert CareRequest.objects.get(pk=case.pk).eligibility_status == "failed"
    assert EligibilityCheck.objects.get().services_covered is False


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["manager", *STAFF_ONLY])
def test_only_intake_verifies_eligibility(client_for, personas, received_case, persona):
    before = snapshot(received_case)
    response = client_for(personas[persona]).post(
        reverse("intake:eligibility", args=[received_case.pk])
    )
    assert response.status_code == 403
    assert snapshot(received_case) == before


@pytest.mark.django_db
def test_add_note(client_for, intake_specialist, received_case):
    response = client_for(intake_specialist).post(
        reverse("intake:note_add", args=[received_case.pk]),
        {"body": "Called the office; notes to follow.", "visibility": "provider"},
    )
    assert response.status_code == 302
    note = CaseNote.objects.get()
    assert (note.author, note.visibility, note.body) == (
        intake_specialist,
        "provider",
        "Called the office; notes to follow.",
    )


@pytest.mark.django_db
def test_blank_note_is_refused(client_for, intake_specialist, received_case):
    before = snapshot(received_case)
    response = client_for(intake_specialist).post(
        reverse("intake:note_add", args=[received_case.pk]),
        {"body": "   ", "visibility": "internal"},
    )
    assert response.status_code == 400
    assert snapshot(received_case) == before


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["manager", *STAFF_ONLY])
def test_only_intake_adds_notes(client_for, personas, received_case, persona):
    before = snapshot(received_case)
    response = client_for(personas[persona]).post(
        reverse("intake:note_add", args=[received_case.pk]),
        {"body": "x", "visibility": "internal"},
    )
    assert response.status_code == 403
    assert snapshot(received_case) == before
