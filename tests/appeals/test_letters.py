"""Appeal letters through the determinations pipeline (outbox, WeasyPrint, letter check):
the acknowledgement, and the decision letter per line with the next level of appeal."""

import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from appeals.services.decide import appeal_decide
from determinations.models import Letter
from determinations.services.delivery import letter_process
from tests.determinations.conftest import approve, deny

pytestmark = pytest.mark.django_db


def pdf_text(letter: Letter) -> str:
    assert letter_process(letter.pk) == "sent"
    letter.refresh_from_db()
    with letter.pdf.open("rb") as fh:
        reader = PdfReader(io.BytesIO(fh.read()))
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


def decide(appeal, director, items):
    return appeal_decide(appeal=appeal, director=director, line_decisions=items)


def test_acknowledgement_to_provider_and_member(denied_case, file_appeal):
    appeal = file_appeal(denied_case)
    provider = Letter.objects.get(appeal_id=appeal.pk, recipient="provider")
    text = pdf_text(provider)
    assert f"We received the appeal {appeal.reference}" in text
    assert "Line 1: MRI of the lower back (CPT 72148)" in text
    # The letter prints the plan's local date; near midnight UTC it differs from the UTC date.
    due = timezone.localdate(appeal.due_at)
    assert f"We will send our decision by {due:%B} {due.day}, {due.year}." in text
    member = pdf_text(Letter.objects.get(appeal_id=appeal.pk, recipient="member"))
    assert "We received your appeal" in member
    assert "72148" not in member


def test_ma_upheld_letter_names_each_service_reason_criterion_and_the_ire(
    denied_case, file_appeal, appeal_director, criteria_set
):
    appeal = file_appeal(denied_case)
    line1, line2 = [al.service_line for al in appeal.lines.all()]
    appeal = decide(appeal, appeal_director, [approve(line1), deny(line2, criteria_set)])
    letter = Letter.objects.get(determination=appeal.decision, recipient="provider")
    assert letter.template == "appeal_decision"
    text = pdf_text(letter)
    assert "Appeal decision: partly overturned" in text
    assert "1 MRI of the lower back CPT 72148 Overturned: approved as requested" in text
    assert "2 MRI of the lower back CPT 72148 Denial upheld" in text
    assert "Line 2 (MRI of the lower back) – Not medically necessary." in text
    assert "Advanced imaging of the lumbar spine, version 3." in text
    assert f"Authorization number: {appeal.decision.auth_number}" in text
    assert "your case has been sent to Maximus Federal Services" in text
    assert "a copy of the case file" in text
    assert "Alice Ortho2, MD, a physician who took no part in the decision under appeal" in text


@pytest.mark.parametrize(
    ("lob", "next_level"),
    [
        ("medicaid", "The member may ask for a State fair hearing within 120 calendar days"),
        ("commercial", "an external review by an independent review organization within 120"),
    ],
)
def test_next_level_follows_the_line_of_business(
    make_denied_case, file_appeal, appeal_director, criteria_set, lob, next_level
):
    appeal = file_appeal(make_denied_case(lob=lob, lines=1))
    line = appeal.lines.get().service_line
    appeal = decide(appeal, appeal_director, [deny(line, criteria_set)])
    text = pdf_text(Letter.objects.get(determination=appeal.decision, recipient="provider"))
    assert "Appeal decision: denial upheld" in text
    assert next_level in text
    assert "Maximus" not in text


def test_overturn_letter_needs_no_reason_section(denied_case, file_appeal, appeal_director):
    appeal = file_appeal(denied_case)
    appeal = decide(
        appeal, appeal_director, [approve(al.service_line) for al in appeal.lines.all()]
    )
    text = pdf_text(Letter.objects.get(determination=appeal.decision, recipient="provider"))
    assert "Appeal approved: decision overturned" in text
    assert "No further appeal is needed." in text


def test_spanish_member_decision_letter(
    make_denied_case, file_appeal, appeal_director, criteria_set
):
    appeal = file_appeal(make_denied_case(language="es", lob="medicaid", lines=1))
    line = appeal.lines.get().service_line
    appeal = decide(appeal, appeal_director, [deny(line, criteria_set)])
    letter = Letter.objects.get(determination=appeal.decision, recipient="member")
    assert letter.language == "es"
    text = pdf_text(letter)
    assert "La decisión sobre su apelación" in text
    assert "No cambiamos nuestra decisión." in text
    assert "puede pedir una audiencia imparcial del Estado" in text
    assert "72148" not in text
    # Issue 18: Spanish throughout; the English rationale marked, with a translation offered.
    assert "Resonancia magnética de la parte baja de la espalda: sigue sin aprobarse." in text
    assert "«Estudios de imágenes avanzados de la columna lumbar» (versión 3)" in text
    assert "«Usted probó seis semanas de tratamiento, como terapia física.»" in text
    assert "Texto del médico (en inglés):" in text
    assert "llame gratis a Servicios para Miembros" in text
    assert "MRI of the lower back" not in text and "Advanced imaging" not in text
