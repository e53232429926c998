"""End to end in Chromium: a nurse works two cases from "My Care Requests" — one approved against
the criteria, one referred to a medical director."""

import re

import pytest

from intake.models import CareRequest, ChecklistRequirement, ServiceCategory
from review.demo_criteria import seed_criteria_sets
from review.models import ReviewerProfile
from tests.e2e.conftest import login
from tests.factories import make_case
from tests.review.conftest import to_nurse_review
from tests.review.routing_support import make_queue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_cases(intake_specialist, nurse):
    seed_criteria_sets()
    imaging = ServiceCategory.objects.get(code="imaging")
    ChecklistRequirement.objects.get_or_create(
        key="imaging-clinical_notes",
        defaults={
            "category": imaging,
            "document_kind": "clinical_notes",
            "description": "Office notes",
        },
    )
    # The nurse works the imaging queue (licensed in NY, where the members live): triage routes
    # the MRI there unassigned, and "Get next case" must hand it to her.
    imaging_queue = make_queue("imaging", categories=("imaging",))
    profile = ReviewerProfile.objects.create(user=nurse, licensed_states=["NY"])
    profile.queues.set([imaging_queue])
    mri = make_case(actor=intake_specialist, code="72148")
    scope = make_case(actor=intake_specialist, code="29881", category_code="surgery")
    return (
        to_nurse_review(mri, intake=intake_specialist),
        to_nurse_review(scope, intake=intake_specialist, assign_to=nurse),
    )


def _get_next_case(page) -> None:
    page.goto("/review/")
    page.get_by_role("heading", name="My Care Requests").wait_for()
    page.get_by_role("button", name="Get next case").click()
    page.get_by_role("heading", name="Actions").wait_for()


def _open_from_dashboard(page, case) -> None:
    page.goto("/review/")
    page.get_by_role("heading", name="My Care Requests").wait_for()
    page.locator(f'tr[data-case="{case.pk}"] a').first.click()
    page.get_by_role("heading", name="Actions").wait_for()


def test_nurse_approves_one_case_and_refers_another(page, two_cases, nurse):
    mri, scope = two_cases
    login(page, "nurse")

    # 1. Approve: every criterion met. The unassigned MRI comes from "Get next case".
    _get_next_case(page)
    assert page.url.rstrip("/").endswith(str(mri.pk))
    assert CareRequest.objects.get(pk=mri.pk).assigned_to_id == nurse.pk
    page.get_by_role("link", name="Open the guided criteria review").click()
    for radio in page.locator('input[type="radio"][value="met"]').all():
        radio.check()
    page.locator('#decision-panel [data-recommendation="approve"]').wait_for()
    page.get_by_role("button", name="Approve all lines as requested").click()
    page.get_by_text(re.compile(r"Approved\. Authorization number A\w+\.")).wait_for()
    assert page.locator("[data-status]").first.get_attribute("data-status") == "approved"

    # 2. Refer: one criterion not met, so approval is closed and the case goes to a physician.
    _open_from_dashboard(page, scope)
    page.get_by_role("link", name="Open the guided criteria review").click()
    radios = page.locator('input[type="radio"][value="met"]').all()
    for radio in radios[1:]:
        radio.check()
    page.locator('input[type="radio"][value="not_met"]').first.check()
    page.locator('#decision-panel [data-recommendation="refer"]').wait_for()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("button", name="Approve all lines as requested").is_disabled()
    page.get_by_label("Clinical summary", exact=True).fill("No mechanical symptoms documented.")
    page.get_by_label("Recommendation to the medical director").fill("Consider peer-to-peer.")
    page.get_by_role("button", name="Refer to a medical director").click()
    page.get_by_text(f"{scope.reference} referred to a medical director.").wait_for()

    assert CareRequest.objects.get(pk=mri.pk).status == "approved"
    assert CareRequest.objects.get(pk=scope.pk).status == "md_review"
