"""The portal's service and diagnosis search in a real browser: a hit picked with a click or
with the keyboard fills the next empty line (static/js/code-search.js)."""

import pytest

from tests.e2e.conftest import login
from tests.factories import CoverageFactory, ProviderFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_service_hit_is_picked_by_click_and_another_by_keyboard(
    page, provider_user, organization
):
    coverage = CoverageFactory()
    ProviderFactory(organization=organization, name="Dr. Ana Lakeside")
    ProviderFactory(organization=organization, name="Dr. Ben Lakeside")
    login(page, "provider")
    page.goto("/portal/new/")
    page.get_by_label("Member ID").fill(coverage.member_number)
    page.get_by_label("Date of birth").fill(coverage.member.birth_date.isoformat())
    page.get_by_role("button", name="Find member").click()
    # htmx binds the search box when the page has loaded: typing earlier fires no search.
    page.wait_for_url("**/portal/new/details/**", wait_until="load")

    # Two providers in the organisation: none is chosen for the user.
    assert page.get_by_label("Requesting provider").input_value() == ""

    search = page.get_by_label("Search services by code or words")
    search.fill("knee mri")
    page.locator("#service-hits").get_by_role("button", name="MRI of the knee").click()
    assert page.locator("#id_line1_code").input_value() == "73721"
    assert page.locator("#id_line1_category").input_value() == "imaging"
    assert page.evaluate("document.activeElement.id") == "id_line1_units"

    search.fill("lower back mri")
    page.locator("#service-hits").get_by_role("button", name="MRI of the lower back").wait_for()
    page.wait_for_load_state("networkidle")
    search.press("ArrowDown")
    assert page.evaluate("document.activeElement.dataset.code") == "72148"
    page.keyboard.press("Enter")
    assert page.locator("#id_line2_code").input_value() == "72148"
    assert page.locator("#id_line1_code").input_value() == "73721"

    diagnosis = page.get_by_label("Search ICD-10-CM by code or words")
    diagnosis.fill("M23.22")
    # The first search loads the ICD-10-CM code set: slow on a busy machine.
    page.locator("#diagnosis-hits .code-hit").first.wait_for(timeout=60_000)
    page.wait_for_load_state("networkidle")
    diagnosis.press("Enter")  # picks the first hit; never submits the request form
    assert page.locator("#id_diagnosis1").input_value().startswith("M23.22")
    assert "/portal/new/details/" in page.url
    page.wait_for_load_state("networkidle")
