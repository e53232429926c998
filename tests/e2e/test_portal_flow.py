"""The provider portal in a real browser: submit through the guided flow, then answer a request
for information."""

from datetime import timedelta

import pytest
from django.utils import timezone

from intake.models import CareRequest, CareRequestStatus
from intake.services.workflow import care_request_request_info
from tests.e2e.conftest import login
from tests.factories import CoverageFactory, ProviderFactory
from tests.portal.files import PDF


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_provider_submits_through_the_guided_flow_and_answers_a_request_for_information(
    page, provider_user, organization, intake_specialist, tmp_path
):
    coverage = CoverageFactory()
    ProviderFactory(organization=organization, name="Dr. Ana Lakeside")
    start = timezone.localdate() + timedelta(days=3)

    login(page, "provider")
    page.get_by_role("link", name="New request").first.click()
    page.get_by_label("Member ID").fill(coverage.member_number)
    page.get_by_label("Date of birth").fill(coverage.member.birth_date.isoformat())
    page.get_by_role("button", name="Find member").click()

    page.get_by_label("Requesting provider").select_option(
        label="Dr. Ana Lakeside (NPI " + organization.providers.get().npi + ")"
    )
    page.get_by_label("Search services by code or words").fill("knee")
    page.locator("#service-hits").get_by_text("MRI of the knee").wait_for()
    page.locator("#id_line1_code").fill("73721")
    page.locator("#id_line1_start_date").fill(start.isoformat())
    page.locator("#id_line1_end_date").fill((start + timedelta(days=20)).isoformat())
    page.get_by_label("ICD-10-CM code 1").fill("M23.221")
    page.get_by_role("button", name="Save draft and continue").click()

    draft = CareRequest.objects.get()
    assert draft.status == CareRequestStatus.DRAFT
    page.get_by_text(f"Draft {draft.reference} saved.").wait_for()
    pdf = tmp_path / "knee-notes.pdf"
    pdf.write_bytes(PDF)
    page.get_by_label("Document type").select_option("clinical_notes")
    page.get_by_label("File (PDF, PNG, JPEG or TIFF)").set_input_files(str(pdf))
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("knee-notes.pdf uploaded.").wait_for()
    page.get_by_role("link", name="Continue to review").click()
    page.get_by_role("button", name="Submit request").click()
    page.get_by_text(f"Request {draft.reference} submitted.").wait_for()
    draft.refresh_from_db()
    assert draft.status == CareRequestStatus.SUBMITTED  # the rules engine is not merged yet
    # TODO(lead): once the rules engine is merged, submit a request it auto-approves and assert
    # the page shows "Approved. Authorization number ..." straight after submit.

    # Intake pends the request for information (the service, as the staff UI would).
    care_request_request_info(
        care_request=draft,
        actor=intake_specialist,
        description="Send the knee X-ray report.",
        due_by=timezone.now() + timedelta(days=2),
    )
    page.goto(f"/portal/requests/{draft.pk}/")
    page.get_by_text("Send the knee X-ray report.").wait_for()
    page.get_by_label("Your answer").fill("X-ray report attached.")
    page.locator("#id_kind").select_option("imaging_report")
    page.get_by_label("Attach a document (optional)").set_input_files(str(pdf))
    page.get_by_role("button", name="Send to the reviewer").click()
    page.get_by_text("Thank you: your answer was sent to the reviewer.").wait_for()
    draft.refresh_from_db()
    assert draft.status == CareRequestStatus.SUBMITTED
    assert draft.information_requests.get().response == "X-ray report attached."
    assert draft.documents.count() == 2
    # TODO(lead): once letters are merged, download the decision letter from the "Letters"
    # section (templates/portal/includes/letters.html) and check it is a PDF.
