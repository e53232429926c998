"""Admission notification on the portal → the nurse's continued-stay review → the director
denies further days → the notice of denied days exists."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from determinations.models import Determination, Letter
from intake.models import CareRequest
from review.services.nurse_review import care_request_refer_to_director
from stays.models import Stay
from stays.services import stay_request_extension
from tests.e2e.conftest import login
from tests.factories import CoverageFactory, ProviderFactory
from tests.review.conftest import answer_all, to_nurse_review
from tests.stays.conftest import continued_stay_criteria

__all__ = ["continued_stay_criteria"]  # a fixture, imported for this module

RATIONALE = (
    "She is off intravenous diuretics, walks the ward and needs no oxygen: one more day covers "
    "the teaching before she goes home."
)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admission_to_notice_of_denied_days(
    page,
    settings,
    tmp_path,
    intake_specialist,
    nurse,
    director,
    provider_user,
    organization,
    continued_stay_criteria,
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    facility = ProviderFactory(
        organization=organization, name="Lakeside General Hospital", kind="organization"
    )
    coverage = CoverageFactory()

    # Receipt runs the rules, grants and clock in the request: give a loaded machine time.
    page.set_default_timeout(60_000)
    # 1. The facility notifies the admission on the portal.
    login(page, "provider")
    page.goto("/stays/portal/admissions/new/")
    page.get_by_label("Member ID").fill(coverage.member_number)
    page.get_by_label("Date of birth").fill(coverage.member.birth_date.isoformat())
    page.get_by_label("Facility NPI").fill(facility.npi)
    page.get_by_label("Admission type").select_option("emergency")
    page.get_by_label("Level of care").select_option("acute")
    admitted = timezone.localtime() - dt.timedelta(hours=26)
    page.get_by_label("Admitted at").fill(admitted.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Admitting diagnoses (ICD-10-CM)").fill("I50.9")
    page.get_by_label("Days requested").fill("3")
    page.get_by_role("button", name="Notify the admission").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Admission notified").is_visible()
    stay = Stay.objects.get()
    first = stay.reviews.get().care_request
    assert (first.request_type, first.channel) == ("concurrent", "portal")

    # 2. Intake verifies and triages; the nurse answers the continued-stay criteria and, on the
    #    stay page, approves the days asked with the next review date.
    to_nurse_review(first, intake=intake_specialist, assign_to=nurse)
    answer_all(first, nurse)
    page.context.clear_cookies()
    login(page, "nurse")
    page.goto("/stays/")
    page.get_by_role("link", name=coverage.member.full_name).click()
    page.wait_for_load_state("networkidle")
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    approve = page.locator(
        "section", has=page.get_by_role("heading", name="Approve the days asked")
    )
    approve.get_by_label("Next review date").fill(tomorrow.isoformat())
    approve.get_by_role("button", name="Approve days").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_text("Days approved")).to_be_visible()
    first.refresh_from_db()
    assert first.status == "approved"

    # 3. The facility asks for more days; the nurse refers the request to a director.
    extension = stay_request_extension(
        actor=provider_user, stay=stay, requested_days=3, channel=CareRequest.Channel.API
    )
    to_nurse_review(extension, intake=intake_specialist, assign_to=nurse)
    care_request_refer_to_director(
        care_request=extension,
        nurse=nurse,
        summary="Off IV diuretics since yesterday.",
        recommendation="One more day for teaching, then home.",
    )

    # 4. The director approves one of the three days and denies the rest.
    page.context.clear_cookies()
    login(page, "director")
    page.goto(f"/determinations/cases/{extension.pk}/decide/")
    line = page.get_by_role("group", name="Line 1")
    line.get_by_label("Approve fewer units or a shorter period").check()
    line.get_by_label("Approved units").fill("1")
    start = extension.service_lines.get().start_date
    line.get_by_label("Approved to").fill(start.isoformat())
    line.get_by_label("Reason").select_option(label="Not medically necessary")
    line.get_by_label("Criteria the decision rests on").select_option(
        label="Acute inpatient continued stay (version 2)"
    )
    line.get_by_label("The criterion that is not met").select_option(
        label="1. Needs IV medication, monitoring or treatment only available in an acute setting"
    )
    line.get_by_label("Rationale in plain language").fill(RATIONALE)
    page.get_by_role("button", name="Issue determination").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Partially approved: determination recorded").is_visible()

    # 5. The notice of denied further days exists, and the stay shows the denied days.
    d = Determination.objects.get(care_request=extension)
    assert d.outcome == "partially_approved"
    assert set(d.letters.values_list("recipient", "status")) == {
        ("provider", Letter.Status.SENT),
        ("member", Letter.Status.SENT),
    }
    page.goto(f"/stays/{stay.pk}/")
    assert "6 requested · 4 approved · 2 denied" in page.locator("#days-summary").inner_text()

    # 6. The facility finds the notice on the portal, with the request.
    page.context.clear_cookies()
    login(page, "provider")
    page.goto(f"/portal/requests/{extension.pk}/")
    assert page.get_by_role("link", name="Partial approval letter (PDF)").is_visible()
