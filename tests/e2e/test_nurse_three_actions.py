"""End to end in Chromium: a clean case approved from "My Care Requests" in three actions and
three page loads (criterion radio clicks aside), counted from the browser's own events."""

import pytest

from intake.models import CareRequest, ChecklistRequirement, ServiceCategory
from review.demo_criteria import seed_criteria_sets
from tests.e2e.conftest import login
from tests.factories import make_case
from tests.review.conftest import to_nurse_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def clean_case(intake_specialist, nurse):
    seed_criteria_sets()
    imaging = ServiceCategory.objects.get(code="imaging")
    for kind, text in (("clinical_notes", "Office notes"), ("therapy_notes", "Therapy record")):
        ChecklistRequirement.objects.get_or_create(
            key=f"imaging-{kind}",
            defaults={"category": imaging, "document_kind": kind, "description": text},
        )
    case = make_case(actor=intake_specialist, code="72148")
    return to_nurse_review(case, intake=intake_specialist, assign_to=nurse)


def test_nurse_approves_a_clean_case_in_three_actions_and_three_page_loads(page, clean_case, nurse):
    login(page, "nurse")
    page.goto("/review/")
    page.get_by_role("heading", name="My Care Requests").wait_for()

    navigations: list[str] = []
    posts: list[tuple[str, bool]] = []  # (url, sent by htmx)
    page.on(
        "framenavigated",
        lambda frame: navigations.append(frame.url) if frame == page.main_frame else None,
    )
    page.on(
        "request",
        lambda req: (
            posts.append((req.url, "hx-request" in req.headers)) if req.method == "POST" else None
        ),
    )
    actions = 0

    # Action 1: open the case from the list.
    page.locator(f'tr[data-case="{clean_case.pk}"] a').first.click()
    actions += 1
    page.get_by_role("heading", name="Actions").wait_for()

    # Action 2: the case view's "Approve" opens the split view.
    page.locator('[data-action="approve"] a').click()
    actions += 1
    page.get_by_role("heading", name="Clinical summary from the provider").wait_for()
    assert page.locator("[data-diagnoses]").inner_text().startswith("M54.16")
    assert page.locator("a[data-document]").count() == 2
    assert page.locator("iframe.doc-viewer").count() == 1
    assert page.get_by_role("button", name="Approve all lines as requested").is_disabled()

    # Radio clicks (not counted): each is saved at once and the recommendation follows live.
    radios = page.locator('input[type="radio"][value="met"]').all()
    assert len(radios) == 5
    for radio in radios:
        radio.check()
    page.locator('#decision-panel [data-recommendation="approve"]').wait_for()
    page.wait_for_load_state("networkidle")
    assert (
        page.locator(f"#line-state-{clean_case.service_lines.get().pk}").get_attribute("data-state")
        == "met"
    )

    # Action 3: approve.
    page.get_by_role("button", name="Approve all lines as requested").click()
    actions += 1
    page.get_by_text("Approved. Authorization number").wait_for()

    form_posts = [url for url, htmx in posts if not htmx]
    htmx_posts = [url for url, htmx in posts if htmx]
    assert actions <= 3
    assert len(navigations) == 3, navigations
    assert len(form_posts) == 1 and form_posts[0].endswith(f"/cases/{clean_case.pk}/approve/")
    assert 1 <= len(htmx_posts) <= len(radios)
    assert all(url.endswith("/nurse-review/") for url in htmx_posts)
    assert CareRequest.objects.get(pk=clean_case.pk).status == "approved"


def test_a_document_opens_in_place_beside_the_criteria(page, clean_case, nurse):
    login(page, "nurse")
    page.goto(f"/review/cases/{clean_case.pk}/nurse-review/")
    with page.expect_response(lambda r: "/documents/" in r.url) as opened:
        page.locator("a[data-document]").first.click()
    assert opened.value.status == 200
    assert opened.value.frame.name == "doc-viewer"
    assert opened.value.headers["x-frame-options"] == "SAMEORIGIN"
    assert page.url.endswith("/nurse-review/")
