"""End to end in Chromium: intake enters a faxed request, uploads the clinical notes, verifies
eligibility and triages the case to nurse review."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from intake.models import CareRequest, ChecklistRequirement, DocumentKind, EligibilityCheck
from tests.e2e.conftest import login
from tests.factories import CoverageFactory, MemberFactory, PlanFactory, ProviderFactory, category
from tests.intake.conftest import PDF_BYTES


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_intake_enters_verifies_and_triages_a_request(page, intake_specialist, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ChecklistRequirement.objects.create(
        key="e2e-imaging-notes",
        category=category("imaging"),
        document_kind=DocumentKind.CLINICAL_NOTES,
        description="Clinical notes from the last 90 days",
    )
    member = MemberFactory(first_name="Rosa", last_name="Delgado")
    coverage = CoverageFactory(
        member=member, member_number="MA7731", plan=PlanFactory(name="Sunrise Medicare")
    )
    requesting = ProviderFactory(name="Dr. Ana Ortiz")
    servicing = ProviderFactory(name="Valley Imaging Center")
    start = timezone.localdate() + timedelta(days=4)

    login(page, "intake")
    expect(page.get_by_role("heading", name="Intake queue")).to_be_visible()
    page.get_by_role("link", name="New request").click()

    # Find the member (htmx swaps the entry form in).
    page.get_by_label("Member ID").fill("ma7731")
    page.get_by_label("Date of birth").fill(member.birth_date.isoformat())
    page.get_by_role("button", name="Find member").click()
    expect(page.get_by_text("Rosa Delgado")).to_be_visible()

    page.get_by_label(re.compile(r"MA7731 · Sunrise Medicare")).check()
    page.get_by_label("Requesting provider").fill(requesting.npi)
    page.get_by_label("Servicing provider").fill(servicing.npi)
    page.locator('[name="lines-0-code_system"]').select_option("cpt")
    page.locator('[name="lines-0-code"]').fill("72148")
    page.locator('[name="lines-0-category"]').select_option(label="Advanced imaging")
    page.locator('[name="lines-0-units"]').fill("1")
    page.locator('[name="lines-0-start_date"]').fill(start.isoformat())
    page.locator('[name="lines-0-end_date"]').fill((start + timedelta(days=29)).isoformat())
    page.locator('[name="lines-0-place_of_service"]').fill("22")
    page.get_by_label("Diagnoses (ICD-10-CM)").fill("M54.16")
    page.get_by_label("Priority").select_option("standard")
    page.get_by_label("Clinical summary").fill("Sciatica for 8 weeks despite therapy.")
    page.get_by_role("button", name="Receive request").click()

    expect(page.get_by_role("heading", name=re.compile(r"^Case UM-"))).to_be_visible()
    expect(page.locator("#missing-documents")).to_contain_text("1 required document missing")
    expect(page.locator("#triage-blockers")).to_be_visible()

    # Upload the clinical notes: the checklist is complete.
    page.get_by_label("Document type").select_option("clinical_notes")
    page.get_by_label("File").set_input_files(
        {"name": "clinical-notes.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("Clinical notes uploaded.")).to_be_visible()
    expect(page.locator("#missing-documents")).to_have_count(0)

    page.get_by_role("button", name="Verify eligibility").click()
    expect(page.locator("#eligibility-status")).to_have_text("Verified")

    page.get_by_label("Note for the reviewer").fill("Verified; notes attached.")
    page.get_by_role("button", name="Triage to clinical review").click()
    expect(page.get_by_text("Sent to clinical review.")).to_be_visible()
    expect(page.get_by_test_id("case-status")).to_have_text("Nurse review")

    case = CareRequest.objects.get()
    assert (case.status, case.channel, case.member, case.coverage) == (
        "nurse_review",
        "fax",
        member,
        coverage,
    )
    assert list(
        case.status_events.values_list("transition", "from_status", "to_status", "actor", "note")
    ) == [
        ("submit", "draft", "submitted", intake_specialist.pk, ""),
        ("triage", "submitted", "nurse_review", intake_specialist.pk, "Verified; notes attached."),
    ]
    document = case.documents.get()
    assert (document.content_type, document.original_name, document.uploaded_by) == (
        "application/pdf",
        "clinical-notes.pdf",
        intake_specialist,
    )
    assert EligibilityCheck.objects.get(care_request=case).checked_by == intake_specialist
