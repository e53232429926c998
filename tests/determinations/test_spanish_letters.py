"""Spanish member letters are Spanish throughout (issue 18): services, criteria sets and
criteria in Spanish; an English rationale marked, with a free translation by phone; the letter
check refuses English fixed text and untranslated wording, and a resend passes once fixed."""

import io
import re

import pytest
from pypdf import PdfReader

from determinations.models import Letter
from determinations.services import determination_issue
from determinations.services.attention import letter_problem, letter_resend
from determinations.services.delivery import letter_process
from determinations.services.english_text import english_fixed_text
from determinations.services.letters import LetterIncomplete, letter_check, letter_html
from intake.models import ServiceTranslation
from review.models import CriteriaSet
from review.services.criteria import CriterionInput, criteria_set_revise
from tests.determinations.conftest import approve, deny, reduce
from um_portal.lib.language import looks_english

SERVICE_ES = "Resonancia magnética de la parte baja de la espalda"
SET_ES = "Estudios de imágenes avanzados de la columna lumbar"
CRITERION_ES = "Usted probó seis semanas de tratamiento, como terapia física."
PHONE_OFFER = (
    "El médico revisor escribió esta explicación en inglés. Si desea que se la traduzcamos al "
    "español, llame gratis a Servicios para Miembros al 1-800-555-0100; la traducción es gratuita."
)
# Words of the English letters' fixed text that must never reach a Spanish one.
ENGLISH_FIXED = [
    "We did not approve",
    "Your right to appeal",
    "Fast appeal",
    "Free copies",
    "Questions?",
    "Dear ",
    "What we approved",
    "MRI of the lower back",
    "Advanced imaging",
    "You have tried",
    "our Appeals Unit",
]


def _pdf(letter: Letter) -> str:
    assert letter_process(letter.pk) == "sent", letter.last_error
    letter.refresh_from_db()
    with letter.pdf.open("rb") as fh:
        pages = PdfReader(io.BytesIO(fh.read())).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def _member_letter(determination) -> Letter:
    letter = determination.letters.get(recipient="member")
    assert letter.language == "es"
    return letter


def _no_english_fixed_text(text: str) -> None:
    for words in ENGLISH_FIXED:
        assert words not in text, words


@pytest.fixture
def spanish_case(make_md_case):
    return lambda lines=1: make_md_case(lines=lines, language="es")


@pytest.mark.django_db
def test_spanish_denial_pdf_is_spanish_throughout(spanish_case, director, criteria_set, outbox_env):
    case = spanish_case()
    d = determination_issue(
        case=case, director=director, line_decisions=[deny(case.service_lines.get(), criteria_set)]
    )
    text = _pdf(_member_letter(d))
    assert "No aprobamos su solicitud" in text
    assert f"{SERVICE_ES}, pedido 10 veces" in text
    assert f"usamos la guía «{SET_ES}» (versión 3)" in text
    assert f"«{CRITERION_ES}»" in text
    assert "(en inglés)" not in text.replace("Texto del médico (en inglés)", "")
    # The physician wrote in English: marked, and a translation by phone offered.
    assert "Texto del médico (en inglés): The records show only two weeks" in text
    assert PHONE_OFFER in text
    assert "nuestra Unidad de Apelaciones" in text
    assert re.search(r"Página 1 de \d", text)
    _no_english_fixed_text(text)


@pytest.mark.django_db
def test_spanish_approval_and_partial_pdfs_name_services_in_spanish(
    spanish_case, director, criteria_set, outbox_env
):
    case = spanish_case()
    approved = determination_issue(
        case=case, director=director, line_decisions=[approve(case.service_lines.get())]
    )
    text = _pdf(_member_letter(approved))
    assert "Su solicitud fue aprobada" in text
    assert f"{SERVICE_ES}: 10 veces" in text
    _no_english_fixed_text(text)

    case = spanish_case(lines=2)
    knee, back = case.service_lines.all()
    knee.code, knee.description = "73721", ""
    knee.save(update_fields=["code", "description"])
    partial = determination_issue(
        case=case,
        director=director,
        line_decisions=[approve(knee), reduce(back, criteria_set)],
    )
    text = _pdf(_member_letter(partial))
    assert "Aprobamos parte de su solicitud" in text
    assert "Resonancia magnética de la rodilla: 10 veces" in text
    assert f"{SERVICE_ES}: 4 veces" in text
    assert f"«{CRITERION_ES}»" in text
    _no_english_fixed_text(text)


@pytest.mark.django_db
def test_a_rationale_written_in_spanish_is_not_marked_english(spanish_case, director, criteria_set):
    case = spanish_case()
    rationale = (
        "Los expedientes muestran solo dos semanas de terapia física y no hay señales de alarma "
        "como debilidad."
    )
    d = determination_issue(
        case=case,
        director=director,
        line_decisions=[deny(case.service_lines.get(), criteria_set, rationale=rationale)],
    )
    html = letter_html(_member_letter(d))
    assert rationale in html
    assert "Texto del médico (en inglés)" not in html
    assert "llame gratis" not in html


@pytest.mark.django_db
def test_untranslated_criteria_refuse_the_letter_until_translated_then_resend_passes(
    spanish_case, director, criteria_set, manager, outbox_env
):
    CriteriaSet.objects.filter(pk=criteria_set.pk).update(name_es="", summary_es="")
    criteria_set.criteria.update(plain_language_es="")
    case = spanish_case()
    d = determination_issue(
        case=case, director=director, line_decisions=[deny(case.service_lines.get(), criteria_set)]
    )
    letter = _member_letter(d)
    assert letter_process(letter.pk) == "failed"
    letter.refresh_from_db()
    assert letter.last_error == (
        "Letter check failed; missing or empty: Spanish wording missing (no Spanish for "
        "«Advanced imaging of the lumbar spine»), Spanish wording missing (no Spanish for "
        "«You have tried six weeks of treatment such as physical thera»)"
    )
    assert letter_problem(letter) == "spanish"
    # The admin's way to add Spanish: a new version. The letter cites version 3 and takes the
    # translation of the same English words from version 4.
    criteria_set_revise(
        actor=manager,
        previous=CriteriaSet.objects.get(pk=criteria_set.pk),
        fields={
            "name": criteria_set.name,
            "name_es": SET_ES,
            "code_system": "cpt",
            "codes": ["72148"],
            "summary": criteria_set.summary,
            "summary_es": "Resumen.",
            "effective_from": None,
        },
        criteria=[
            CriterionInput(c.text, c.plain_language, f"Criterio {c.sequence}.")
            for c in criteria_set.criteria.all()
        ],
    )
    letter_resend(letter=letter, actor=manager)
    text = _pdf(letter)
    assert f"usamos la guía «{SET_ES}» (versión 3)" in text
    assert "«Criterio 1.»" in text


@pytest.mark.django_db
def test_untranslated_service_is_marked_and_refused(spanish_case, director, criteria_set):
    ServiceTranslation.objects.filter(code="72148").delete()
    case = spanish_case()
    d = determination_issue(
        case=case, director=director, line_decisions=[deny(case.service_lines.get(), criteria_set)]
    )
    html = letter_html(_member_letter(d))
    assert '<span lang="en" data-untranslated="1">MRI of the lower back</span> (en inglés)' in html
    with pytest.raises(LetterIncomplete) as exc:
        letter_check(html, "denial", recipient="member")
    assert (
        exc.value.missing
        == ["Spanish wording missing (no Spanish for «MRI of the lower back»)"] * 3
    )  # named in the list, the reason and the criteria


@pytest.mark.django_db
def test_letter_check_refuses_a_spanish_template_with_english_fixed_text(
    spanish_case, director, criteria_set, settings, tmp_path
):
    case = spanish_case()
    d = determination_issue(
        case=case, director=director, line_decisions=[deny(case.service_lines.get(), criteria_set)]
    )
    letter = _member_letter(d)
    letter_check(letter_html(letter), "denial", recipient="member")  # the shipped one passes
    shadow = tmp_path / "letters" / "member" / "es"
    shadow.mkdir(parents=True)
    original = (settings.BASE_DIR / "templates/letters/member/es/denial.html").read_text()
    (shadow / "denial.html").write_text(
        original.replace(
            "<p>Estimado/a {{ member.full_name }}:</p>",
            "<p>Estimado/a {{ member.full_name }}:</p>\n<p>Please read this letter with care; "
            "it is about your coverage.</p>",
        )
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    html = letter_html(letter)
    with pytest.raises(LetterIncomplete) as exc:
        letter_check(html, "denial", recipient="member")
    assert exc.value.missing == [
        "Spanish wording missing (English fixed text in letters/member/es/denial.html: "
        "«Please read this letter with care;»)",
        "Spanish wording missing (English fixed text in letters/member/es/denial.html: "
        "«it is about your coverage.»)",
    ]


def test_every_spanish_letter_template_has_only_spanish_fixed_text():
    for kind in Letter.Template.values:
        assert english_fixed_text(f"letters/member/es/{kind}.html") == [], kind
    # The check can fail: the English templates are full of English.
    assert len(english_fixed_text("letters/member/en/denial.html")) > 20


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("The records show only two weeks of physical therapy.", True),
        ("Los expedientes muestran solo dos semanas de terapia física.", False),
        ("Maria Lopez, MD", False),
        ("", False),
    ],
)
def test_looks_english(text, english):
    assert looks_english(text) is english
