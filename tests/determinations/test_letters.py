"""Letter content in both languages, the letter check, and the PDF text."""

import io
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from determinations.models import Letter
from determinations.services import determination_issue
from determinations.services.delivery import letter_process
from determinations.services.letter_check import REQUIRED_SECTIONS
from determinations.services.letters import LetterIncomplete, letter_check, letter_html
from tests.determinations.conftest import approve, deny, reduce


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def denied(make_md_case, director, criteria_set):
    def make(language="en", lob=None):
        case = make_md_case(lines=1, language=language, plan_lob=lob)
        d = determination_issue(
            case=case,
            director=director,
            line_decisions=[deny(case.service_lines.get(), criteria_set)],
        )
        return d

    return make


@pytest.mark.django_db
def test_member_denial_in_english_has_every_section_in_plain_words(denied):
    d = denied()
    letter = d.letters.get(recipient="member")
    html = letter_html(letter)
    letter_check(html, "denial", recipient="member", forbidden_codes=["72148"])
    text = _text(html)
    assert "We did not approve your request" in text
    assert "MRI of the lower back" in text
    assert "72148" not in text and "CPT" not in text
    assert "The information we have does not show that this service is medically necessary" in text
    assert "two weeks of physical therapy" in text  # the director's rationale
    assert (
        'MRI of the lower back: we used the guideline "Advanced imaging of the lumbar spine" '
        '(version 3). The guideline says the service is needed when: "You have tried six weeks '
        'of treatment such as physical therapy." Our decision rests on this requirement'
    ) in text
    # The one criterion the decision rests on, not the whole set.
    assert "Or you have warning signs such as new weakness or numbness." not in text
    assert "A doctor made this decision: Daniel Brooks, MD." in text
    assert "Your doctor can ask to discuss this decision with the doctor who made it" in text
    assert "You must ask within 65 days of the date of this letter" in text  # Medicare Advantage
    assert "Fast appeal" in text and "within 72 hours" in text
    assert "free copies of the guideline" in text
    assert "Call Member Services at 1-800-555-0100" in text
    assert "ATENCIÓN: si habla español" in text  # taglines
    assert "Tiếng Việt" in text


@pytest.mark.django_db
def test_member_denial_in_spanish(denied):
    d = denied(language="es")
    letter = d.letters.get(recipient="member")
    assert letter.language == "es"
    html = letter_html(letter)
    letter_check(html, "denial", recipient="member", forbidden_codes=["72148"])
    text = _text(html)
    assert '<html lang="es">' in html
    assert "No aprobamos su solicitud" in text
    assert "Estimado/a Rosa" in text
    assert (
        "La información que tenemos no demuestra que este servicio sea médicamente necesario"
        in text
    )
    # Issue 18: the criteria set and the criterion in Spanish, from the admin's translations.
    assert (
        "usamos la guía «Estudios de imágenes avanzados de la columna lumbar» (versión 3)" in text
    )
    assert "«Usted probó seis semanas de tratamiento, como terapia física.»" in text
    assert "Advanced imaging" not in text
    assert "Un médico tomó esta decisión: Daniel Brooks, MD." in text
    assert "Debe pedirla dentro de los 65 días siguientes a la fecha de esta carta" in text
    assert "Apelación rápida" in text
    assert "Copias gratuitas" in text
    months = "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
    deadline = timezone.localdate(d.decided_at) + timedelta(days=65)
    month = (months + "diciembre").split()[deadline.month - 1]
    assert f"a más tardar el {deadline.day} de {month} de {deadline.year}" in text
    assert "72148" not in text


@pytest.mark.django_db
def test_appeal_deadline_is_data_per_line_of_business(denied):
    d = denied(lob="medicaid")
    text = _text(letter_html(d.letters.get(recipient="provider")))
    assert "filed within 60 calendar days of the date of this letter" in text


@pytest.mark.django_db
def test_provider_denial_shows_codes_and_how_to_ask_for_peer_to_peer(denied, settings):
    settings.SITE_URL = "https://um.plan.example"
    d = denied()
    html = letter_html(d.letters.get(recipient="provider"))
    letter_check(html, "denial")
    text = _text(html)
    assert "CPT 72148" in text
    p2p_link = f"https://um.plan.example/scheduling/portal/cases/{d.care_request.pk}/request/"
    assert p2p_link in text and "1-800-555-0142" in text
    assert "Line 1 (MRI of the lower back) – Not medically necessary." in text
    assert (
        "Advanced imaging of the lumbar spine, version 3. Criterion not met: 1. Six weeks of "
        "conservative therapy documented"
    ) in text
    assert "Red-flag symptoms present" not in text


@pytest.mark.django_db
def test_partial_letter_has_auth_number_units_and_dates(md_case, director, criteria_set):
    first, second = md_case.service_lines.all()
    d = determination_issue(
        case=md_case,
        director=director,
        line_decisions=[reduce(first, criteria_set, units=4, days=14), approve(second)],
    )
    for letter in d.letters.all():
        html = letter_html(letter)
        letter_check(html, "partial", recipient=letter.recipient)
        assert d.auth_number in html
    member = _text(letter_html(d.letters.get(recipient="member")))
    assert "We approved part of your request" in member
    assert "approved only 4 times" in member


@pytest.mark.django_db
def test_approval_letter(md_case, director):
    d = determination_issue(
        case=md_case,
        director=director,
        line_decisions=[approve(x) for x in md_case.service_lines.all()],
    )
    html = letter_html(d.letters.get(recipient="provider"))
    letter_check(html, "approval")
    assert f'Authorization number: <strong class="auth-number">{d.auth_number}</strong>' in html


# The service's own list: a section added to the letter check is tested without editing this file.
@pytest.mark.parametrize("section", REQUIRED_SECTIONS[Letter.Template.DENIAL])
@pytest.mark.django_db
def test_letter_check_refuses_a_denial_missing_a_section(section, denied):
    html = letter_html(denied().letters.get(recipient="provider"))
    broken = re.sub(
        rf'<section data-section="{section}"[^>]*>.*?</section>', "", html, count=1, flags=re.S
    )
    assert broken != html
    with pytest.raises(LetterIncomplete) as exc:
        letter_check(broken, "denial")
    assert exc.value.missing == [section]


@pytest.mark.django_db
def test_letter_check_refuses_an_appeal_section_without_the_deadline(denied):
    html = letter_html(denied().letters.get(recipient="provider"))
    broken = re.sub(
        r'(<section data-section="appeal_rights">).*?(</section>)',
        r"\1<h2>Appeal rights</h2><p>You may appeal.</p>\2",
        html,
        flags=re.S,
    )
    with pytest.raises(LetterIncomplete) as exc:
        letter_check(broken, "denial")
    assert exc.value.missing == ["appeal_rights"]


@pytest.mark.django_db
def test_letter_check_refuses_member_letter_without_taglines_or_with_bare_codes(denied):
    html = letter_html(denied().letters.get(recipient="member"))
    no_taglines = re.sub(r'<section class="taglines".*?</section>', "", html, flags=re.S)
    with pytest.raises(LetterIncomplete) as exc:
        letter_check(no_taglines, "denial", recipient="member")
    assert exc.value.missing == ["taglines"]
    with_code = html.replace("MRI of the lower back", "72148", 1)
    with pytest.raises(LetterIncomplete) as exc:
        letter_check(with_code, "denial", recipient="member", forbidden_codes=["72148"])
    assert exc.value.missing == ["no bare procedure code (72148)"]


@pytest.mark.django_db
def test_letter_check_accepts_a_context(denied):
    from determinations.services.letters import letter_context

    letter = denied().letters.get(recipient="provider")
    letter_check(letter_context(letter), "denial")


@pytest.mark.django_db
def test_spanish_member_pdf_text(denied, outbox_env, cjk_font):
    d = denied(language="es")
    letter = d.letters.get(recipient="member")
    assert letter_process(letter.pk) == "sent"
    letter.refresh_from_db()
    data = letter.pdf.read()
    assert data.startswith(b"%PDF")
    import hashlib

    assert letter.sha256 == hashlib.sha256(data).hexdigest()
    assert letter.size == len(data)
    text = " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages
    )
    assert "No aprobamos su solicitud" in text
    assert "Su derecho a apelar" in text
    assert "65 días" in text
    assert (letter.channel, letter.status) == ("mail", Letter.Status.SENT)
    assert letter.print_ready_at is not None


@pytest.mark.django_db
def test_member_letter_pdf_prints_the_chinese_korean_and_japanese_taglines(denied, cjk_font):
    """Those three need a CJK font (fonts-wqy-microhei); without it they print as empty boxes.
    The PDF must embed that font and carry the text."""
    from determinations import pdf

    letter = denied().letters.get(recipient="member")
    reader = PdfReader(io.BytesIO(pdf.html_to_pdf(letter_html(letter))))
    text = " ".join(page.extract_text() for page in reader.pages)
    embedded = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("WenQuanYi" in name for name in embedded), embedded
    squashed = re.sub(r"\s+", "", text)
    for line in ("免費獲得語言援助服務", "언어지원서비스를무료로", "無料の言語支援"):
        assert line in squashed, line
