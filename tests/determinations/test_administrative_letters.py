"""The administrative denial's letters: PDF text of the member (en, es) and provider copies,
the letter check, and one delivery through the outbox."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from determinations import tasks
from determinations.services.letter_check import letter_expectations
from determinations.services.letters import (
    LetterIncomplete,
    letter_check,
    letter_html,
    letter_html_and_context,
)
from tests.determinations.admin_support import PROVISION, RATIONALE, admin_case
from tests.determinations.test_administrative import issue
from tests.determinations.test_letter_pdf_partial import _pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def denial(intake_specialist, organization):
    case = admin_case(intake=intake_specialist, organization=organization, lines=2)
    return issue(case, intake_specialist)


def test_member_and_provider_pdfs_name_service_reason_provision_and_appeal_deadline(
    denial, settings
):
    settings.SITE_URL = "https://um.plan.example"
    member = _pdf_text(letter_html(denial.letters.get(recipient="member")))
    provider = _pdf_text(letter_html(denial.letters.get(recipient="provider")))
    deadline = timezone.localdate(denial.decided_at) + timedelta(days=65)
    assert "Hearing aid for the right ear" in member
    assert "This service is not a benefit covered by your plan." in member
    assert " ".join(RATIONALE.split()) in member
    assert PROVISION in member
    assert f"by {deadline:%B} {deadline.day}, {deadline.year}" in member
    assert "within 65 days" in member
    assert "Line 1 (Hearing aid for the right ear) – Not a covered benefit." in provider
    assert "This service is not a benefit covered by the patient's plan." in provider
    assert f"Line 2 (Hearing aid for the right ear): {PROVISION}." in provider
    assert "within 65 calendar days" in provider
    for text in (member, provider):
        assert "medically necessary" not in text.lower()
        assert "medical necessity" not in text.lower()
        assert "peer-to-peer" not in text.lower()


def test_spanish_member_letter(intake_specialist, organization):
    case = admin_case(intake=intake_specialist, organization=organization, language="es")
    letter = issue(case, intake_specialist).letters.get(recipient="member")
    assert letter.language == "es"
    text = _pdf_text(letter_html(letter))
    assert "Su plan no cubre esta solicitud" in text
    assert "Este servicio no es un beneficio cubierto por su plan." in text
    assert PROVISION in text
    assert "Su derecho a apelar" in text


def test_letter_check_passes_and_refuses_one_without_the_provision_or_with_medical_wording(
    denial,
):
    for letter in denial.letters.all():
        html = letter_html(letter)
        letter_check(html, "admin_denial", recipient=letter.recipient)
    provider, context = letter_html_and_context(denial.letters.get(recipient="provider"))
    expect = letter_expectations(context)
    letter_check(provider, "admin_denial", expect=expect)
    with pytest.raises(LetterIncomplete) as err:
        letter_check(provider.replace(PROVISION, "the plan"), "admin_denial", expect=expect)
    assert "plan provision (line 1)" in err.value.missing
    with pytest.raises(LetterIncomplete) as err:
        letter_check(
            provider.replace("no clinical review", "not medically necessary"),
            "admin_denial",
            expect=expect,
        )
    assert "no medical-necessity wording in an administrative denial" in err.value.missing


def test_the_letters_are_sent_once_through_the_outbox(denial, outbox_env):
    provider = denial.letters.get(recipient="provider")
    assert tasks.letter_process.delay(str(provider.pk)).get() == "sent"
    assert tasks.letter_process.delay(str(provider.pk)).get() == "sent"
    member = denial.letters.get(recipient="member")
    assert tasks.letter_process.delay(str(member.pk)).get() == "sent"
    assert len(mail.outbox) == 1  # the provider's e-mail; the member's copy goes to print
    assert mail.outbox[0].attachments[0][1].startswith(b"%PDF")
    assert sorted(denial.letters.values_list("status", flat=True)) == ["sent", "sent"]
