"""The provider portal in a real browser: a request the rules engine approves at once (with its
letter, rendered by the eager Celery task in the live server's thread, downloaded as a PDF), and
one left for intake that is pended for information and answered."""

from datetime import timedelta

import pytest
from django.utils import timezone

from determinations.models import Letter
from intake.models import CareRequest, CareRequestStatus
from intake.services.workflow import care_request_request_info
from tests.e2e.conftest import login
from tests.factories import CoverageFactory, ProviderFactory
from tests.intake.rules_support import auto_rule
from tests.portal.files import PDF


def _submit_knee_mri(page, coverage, organization, tmp_path, *, code: str, diagnosis: str):
    """The guided flow: member, details, a clinical-notes document, review, submit."""
    start = timezone.localdate() + timedelta(days=3)
    page.goto("/portal/")
    page.get_by_role("link", name="New request").first.click()
    page.get_by_label("Member ID").fill(coverage.member_number)
    page.get_by_label("Date of birth").fill(coverage.member.birth_date.isoformat())
    page.get_by_role("button", name="Find member").click()
    # htmx binds the search box when the page has loaded: typing earlier fires no search.
    page.wait_for_url("**/portal/new/details/**", wait_until="load")

    page.get_by_label("Requesting provider").select_option(
        label="Dr. Ana Lakeside (NPI " + organization.providers.get().npi + ")"
    )
    page.get_by_label("Search services by code or words").fill("knee")
    page.locator("#service-hits").get_by_text("MRI of the knee").wait_for()
    page.locator("#id_line1_code").fill(code)
    page.locator("#id_line1_start_date").fill(start.isoformat())
    page.locator("#id_line1_end_date").fill((start + timedelta(days=20)).isoformat())
    page.get_by_label("ICD-10-CM code 1").fill(diagnosis)
    page.get_by_role("button", name="Save draft and continue").click()

    draft = CareRequest.objects.filter(status=CareRequestStatus.DRAFT).get()
    page.get_by_text(f"Draft {draft.reference} saved.").wait_for()
    pdf = tmp_path / "knee-notes.pdf"
    pdf.write_bytes(PDF)
    page.get_by_label("Document type").select_option("clinical_notes")
    page.get_by_label("Files (PDF, PNG, JPEG or TIFF)").set_input_files(str(pdf))
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("Uploaded: knee-notes.pdf.").wait_for()
    page.get_by_role("link", name="Continue to review").click()
    page.get_by_role("button", name="Submit request").click()
    page.wait_for_url(f"**/portal/requests/{draft.pk}/")
    draft.refresh_from_db()
    return draft, pdf


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_provider_sees_an_auto_approval_with_its_number_and_downloads_the_letter(
    page, settings, provider_user, organization, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    auto_rule(code_system="cpt", service_codes=["73721"], diagnosis_codes=["M23.2"], max_units=1)
    coverage = CoverageFactory()
    ProviderFactory(organization=organization, name="Dr. Ana Lakeside")

    login(page, "provider")
    case, _ = _submit_knee_mri(
        page, coverage, organization, tmp_path, code="73721", diagnosis="M23.221"
    )

    assert case.status == CareRequestStatus.APPROVED
    assert case.auth_number
    approved = f"Approved. Authorization number {case.auth_number}."
    assert page.locator("section.decision").inner_text() == approved
    # The approval letter was rendered (WeasyPrint) and sent by the eager Celery task, after the
    # live server's request committed.
    letter = Letter.objects.get(determination__care_request=case, recipient="provider")
    assert (letter.template, letter.status) == (Letter.Template.APPROVAL, Letter.Status.SENT)
    page.reload()
    link = page.locator("#letters").get_by_role("link", name="Approval letter (PDF)")
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == f"letter-{case.reference}-provider.pdf"
    with open(download.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    assert page.locator("#letters").get_by_role("link").count() == 1  # never the member copy


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_provider_submits_a_request_left_for_intake_and_answers_a_request_for_information(
    page, settings, provider_user, organization, intake_specialist, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    coverage = CoverageFactory()
    ProviderFactory(organization=organization, name="Dr. Ana Lakeside")

    login(page, "provider")
    # No auto-approval rule covers this knee MRI: the rules leave it for intake.
    draft, pdf = _submit_knee_mri(
        page, coverage, organization, tmp_path, code="73721", diagnosis="M23.221"
    )
    assert draft.status == CareRequestStatus.SUBMITTED
    page.get_by_text(f"Request {draft.reference} submitted.").wait_for()
    assert page.get_by_text("Received: intake is checking it").is_visible()
    assert page.locator("section.decision").count() == 0

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
    assert page.locator("#letters").get_by_text("No letters yet.").is_visible()
