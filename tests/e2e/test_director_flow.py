"""A medical director opens a referred case, partially approves it, and sees the letters."""

import pytest
from django.core import mail

from determinations.models import Determination, Letter
from tests.determinations.conftest import (
    RATIONALE,
    criteria_set,
    move_to_md_review,
    reference_data,
)
from tests.e2e.conftest import login
from tests.factories import make_case

__all__ = ["criteria_set", "reference_data"]  # fixtures, imported for this module


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_director_partially_approves_and_the_letter_appears(
    reference_data,
    page,
    settings,
    tmp_path,
    intake_specialist,
    nurse,
    director,
    organization,
    criteria_set,
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    case = make_case(actor=intake_specialist, organization=organization, lines=2, units=10)
    case.service_lines.update(description="MRI of the lower back")
    move_to_md_review(case, intake=intake_specialist, nurse=nurse)

    login(page, "director")
    page.goto(f"/determinations/cases/{case.pk}/decide/")
    line1 = page.get_by_role("group", name="Line 1")
    line1.get_by_label("Approve as requested").check()
    line2 = page.get_by_role("group", name="Line 2")
    line2.get_by_label("Deny").check()
    line2.get_by_label("Reason").select_option(label="Not medically necessary")
    line2.get_by_label("Criteria the decision rests on").select_option(
        label="Advanced imaging of the lumbar spine (version 3)"
    )
    line2.get_by_label("The criterion that is not met").select_option(
        label="1. Six weeks of conservative therapy documented"
    )
    line2.get_by_label("Rationale in plain language").fill(RATIONALE)
    page.get_by_role("button", name="Issue determination").click()
    page.wait_for_load_state("networkidle")

    assert page.get_by_text("Partially approved: determination recorded").is_visible()
    panel = page.locator("#determinations")
    assert panel.get_by_text("Partially approved", exact=True).is_visible()
    letters = panel.locator("li[data-letter]")
    assert letters.count() == 2
    assert panel.get_by_role("link", name="Download PDF (provider copy)").is_visible()
    d = Determination.objects.get(care_request=case)
    assert d.outcome == "partially_approved"
    assert set(d.letters.values_list("status", flat=True)) == {Letter.Status.SENT}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == f"Determination letter for request {case.reference}"
    assert mail.outbox[0].attachments[0][1].startswith(b"%PDF")
