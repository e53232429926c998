"""The written notice of a clock extension (29 CFR 2560.503-1(f)(3)): the provider and the member
are told, before the initial period ends, why the plan takes more time, the new due date and what
it needs — through the letter outbox, once per recipient."""

import datetime as dt
import shutil
import subprocess

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from determinations.models import Letter
from determinations.selectors import letter_list_for_user
from determinations.services.delivery import letter_process
from determinations.services.extension_notice import extension_letters_create
from determinations.services.letters import LetterIncomplete, letter_check, letter_html
from intake.models import LineOfBusiness
from intake.services.workflow import care_request_request_info
from review.services.clocks import care_request_extend
from tests.factories import ProviderFactory
from tests.review.routing_support import case_in_review
from tests.stays.conftest import retro
from um_portal.lib.errors import InvalidTransition

pytestmark = pytest.mark.django_db
REASON = (
    "Matters beyond the plan's control need more time: the hospital's records system is down "
    "until next week."
)


def pdf_text(letter: Letter) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: apt-get install poppler-utils")
    letter.refresh_from_db()
    with letter.pdf.open("rb") as f:
        data = f.read()
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True)
    return " ".join(out.stdout.decode().split())


@pytest.fixture
def extended(intake_specialist, nurse, organization, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://um.plan.example"
    organization.email = "um@lakeside.example"
    organization.save(update_fields=["email"])
    case = retro(
        intake_specialist,
        LineOfBusiness.COMMERCIAL,
        provider=ProviderFactory(organization=organization),
        description="MRI of the lower back",
    )
    case.member.preferred_language = "es"
    case.member.save(update_fields=["preferred_language"])
    return care_request_extend(case=case, actor=nurse, days=15, reason=REASON)


def test_a_retrospective_extension_sends_the_provider_and_the_member_a_notice(extended):
    provider, member = (
        Letter.objects.get(care_request=extended, recipient=r) for r in ("provider", "member")
    )
    assert (provider.template, provider.language, provider.channel) == ("extension", "en", "email")
    assert (member.template, member.language, member.channel) == ("extension", "es", "mail")
    assert provider.determination_id is None

    assert [letter_process(x.pk) for x in (provider, member)] == ["sent", "sent"]
    new_due = timezone.localdate(extended.due_at)
    original = timezone.localdate(extended.original_due_at)
    text = pdf_text(provider)
    assert f"We will send our decision by {new_due:%B} {new_due.day}, {new_due.year}." in text
    assert f"was due by {original:%B} {original.day}, {original.year}" in text
    assert "Matters beyond the plan's control need more time before a decision can be made." in text
    assert "Details: the hospital's records system is down until next week." in text
    assert "retrospective review of care already given (claim CLM-2026-0001)" in text
    assert "Nothing more is needed from the provider" in text
    assert f"https://um.plan.example/portal/requests/{extended.pk}/" in text.replace(" ", "")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == f"Notice of extension for request {extended.reference}"
    assert mail.outbox[0].attachments[0][0] == f"notice-{extended.reference}.pdf"

    texto = pdf_text(member)
    assert "Vamos a tomar 15 días más para decidir si pagaremos la atención" in texto
    assert "Necesitamos más tiempo por motivos que están fuera de nuestro control." in texto
    assert "records system" not in texto  # the reviewer's own (English) words stay internal
    assert "Le enviaremos nuestra decisión a más tardar el" in texto
    assert f"{new_due.day} de" in texto and str(new_due.year) in texto
    assert "72148" not in texto  # the service in words, never a bare code


def test_the_notice_is_written_and_sent_once_even_when_asked_twice(extended, nurse):
    letters = list(Letter.objects.filter(care_request=extended).order_by("recipient"))
    assert len(letters) == 2
    # The listener called again (a retried hook) writes nothing new.
    assert extension_letters_create(extended.pk) == []
    with pytest.raises(InvalidTransition, match="extended once"):
        care_request_extend(case=extended, actor=nurse, days=1, reason="Again")
    for _ in range(2):  # a redelivered task
        for letter in letters:
            letter_process(letter.pk)
    assert Letter.objects.filter(care_request=extended).count() == 2
    assert set(Letter.objects.filter(care_request=extended).values_list("status", flat=True)) == {
        "sent"
    }
    assert len(mail.outbox) == 1


def test_the_provider_sees_its_notice_on_the_portal(extended, provider_user, client_for):
    letter = Letter.objects.get(care_request=extended, recipient="provider")
    letter_process(letter.pk)
    assert letter_list_for_user(provider_user, extended) == [letter]
    html = client_for(provider_user).get(reverse("portal:case", args=[extended.pk])).content
    assert b"Extension notice letter (PDF)" in html
    response = client_for(provider_user).get(reverse("determinations:letter_pdf", args=[letter.pk]))
    assert response.status_code == 200


def test_staff_see_the_notices_next_to_the_extension(extended, nurse, client_for):
    for letter in Letter.objects.filter(care_request=extended):
        letter_process(letter.pk)
    html = client_for(nurse).get(reverse("review:case", args=[extended.pk])).content.decode()
    assert "Written notice of the extension: provider copy sent" in html
    assert "member copy sent" in html
    for letter in Letter.objects.filter(care_request=extended):
        assert reverse("determinations:letter_pdf", args=[letter.pk]) in html


def test_a_prospective_extension_names_what_is_needed(intake_specialist, nurse, settings):
    settings.SITE_URL = "https://um.plan.example"
    case = case_in_review(intake_specialist)
    care_request_request_info(
        care_request=case,
        actor=nurse,
        description="Send the physical therapy notes of the last six weeks.",
        due_by=timezone.now() + dt.timedelta(days=5),
    )
    case.refresh_from_db()
    extended = care_request_extend(
        case=case,
        actor=nurse,
        days=10,
        reason="Information that may change the decision is awaited; waiting is in the "
        "member's interest: therapy notes asked.",
    )
    for recipient in ("provider", "member"):
        letter = Letter.objects.get(care_request=extended, recipient=recipient)
        html = letter_html(letter)
        assert "Send the physical therapy notes of the last six weeks." in html
        assert "payment" not in html.lower()
        letter_check(html, "extension", recipient=recipient)
        # The check refuses a notice without its new date.
        damaged = html.replace('data-section="new_due"', 'data-x="new_due"')
        with pytest.raises(LetterIncomplete, match="new_due"):
            letter_check(damaged, "extension", recipient=recipient)
