"""The intake case page with each persona: what it shows, what it offers, and that every
refused POST writes nothing."""

import uuid

import pytest
from django.urls import reverse

from intake.models import (
    CareRequest,
    CaseNote,
    EligibilityCheck,
)
from intake.services.documents import document_upload
from intake.services.eligibility import eligibility_check_record
from tests.factories import make_case
from tests.intake.case_helpers import (
    STAFF_ONLY,
    action_url,
    case_url,
    offered_actions,
    snapshot,
)
from tests.intake.conftest import PDF_BYTES, force_status
from um_portal.audit.models import AccessLog

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


@pytest.mark.django_db
def test_case_page_costs_the_same_queries_however_much_the_case_holds(
    client_for, intake_specialist, organization, imaging_checklist, django_assert_num_queries
):
    small = make_case(actor=intake_specialist, organization=organization)
    big = make_case(actor=intake_specialist, organization=organization, lines=4)
    for _ in range(3):
        eligibility_check_record(care_request=big, actor=intake_specialist)
        document_upload(
            care_request=big,
            actor=intake_specialist,
            kind="clinical_notes",
            name="notes.pdf",
            data=PDF_BYTES,
            channel="fax",
        )
    client = client_for(intake_specialist)
    client.post(
        reverse("intake:note_add", args=[big.pk]), {"body": "One", "visibility": "internal"}
    )
    client.post(
        reverse("intake:note_add", args=[big.pk]), {"body": "Two", "visibility": "provider"}
    )
    client.get(case_url(small))  # warm the session
    # Session, user and roles; the case and its eight prefetched collections; the access log;
    # the checklist condition of triage (offered, or why not); the rules panel (evaluations and
    # duplicate flags); the navigation's unread-notification count; the session save in a
    # savepoint; the administrative reasons the plan delegates to intake.
    with django_assert_num_queries(21):
        client.get(case_url(small))
    with django_assert_num_queries(21):
        client.get(case_url(big))
