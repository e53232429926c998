"""A provider appeals a denial on the portal, a different director of the same specialty
overturns it, and the appeal decision letters go out."""

import pytest

from appeals.models import Appeal
from determinations.models import Letter
from tests.appeals.conftest import (
    APPEAL_REASON,
    appeal_director,
    criteria_set,
    denied_case,
    make_denied_case,
    make_md_case,
)
from tests.e2e.conftest import login
from tests.portal.files import PDF

# fixtures, imported for this module
__all__ = ["appeal_director", "criteria_set", "denied_case", "make_denied_case", "make_md_case"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_provider_files_a_different_director_decides_and_the_letter_exists(
    page, settings, tmp_path, denied_case, provider_user, appeal_director, director
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    notes = tmp_path / "therapy-notes.pdf"
    notes.write_bytes(PDF)

    login(page, "provider")
    page.goto(f"/portal/requests/{denied_case.pk}/")
    page.get_by_role("link", name="Appeal this decision").click()
    page.get_by_label("Why the decision should be changed").fill(APPEAL_REASON)
    page.get_by_label("Supporting documents (PDF or images)").set_input_files([notes])
    page.get_by_role("button", name="File the appeal").click()
    page.wait_for_load_state("networkidle")
    appeal = Appeal.objects.get()
    assert page.get_by_text(f"Appeal {appeal.reference} received").is_visible()
    assert appeal.documents.count() == 1

    page.context.clear_cookies()
    login(page, "ortho2")
    page.goto(f"/appeals/{appeal.pk}/")
    page.get_by_role("link", name="Decide the appeal").click()
    for sequence in (1, 2):
        page.get_by_role("group", name=f"Line {sequence}").get_by_label(
            "Approve as requested"
        ).check()
    page.get_by_role("button", name="Decide the appeal").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Appeal decided; the letters are being prepared.").is_visible()

    appeal.refresh_from_db()
    assert appeal.status == "decided_overturned"
    assert appeal.decision.decided_by == appeal_director
    letters = Letter.objects.filter(determination=appeal.decision)
    assert sorted(letters.values_list("template", "recipient", "status")) == [
        ("appeal_decision", "member", "sent"),
        ("appeal_decision", "provider", "sent"),
    ]
