"""A real two-line partial denial, rendered to PDF by WeasyPrint and read back with pdftotext
(poppler-utils): the member and the provider can tell the two services apart (issue 14)."""

import shutil
import subprocess

import pytest

from determinations import pdf
from determinations.services import determination_issue
from determinations.services.letters import LetterIncomplete, letter_check, letter_html
from tests.determinations.conftest import approve, deny


def _pdf_text(html: str) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: apt-get install poppler-utils")
    out = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=pdf.html_to_pdf(html),
        capture_output=True,
        check=True,
    )
    return " ".join(out.stdout.decode().split())


@pytest.fixture
def partial(md_case, director, criteria_set):
    knee, back = md_case.service_lines.all()
    knee.code, knee.description = "73721", ""
    knee.save(update_fields=["code", "description"])
    return determination_issue(
        case=md_case, director=director, line_decisions=[approve(knee), deny(back, criteria_set)]
    )


@pytest.mark.django_db
def test_two_line_partial_denial_pdf_names_each_service_and_its_decision(partial, settings):
    settings.SITE_URL = "https://um.plan.example"
    member = _pdf_text(letter_html(partial.letters.get(recipient="member")))
    # The line stored without a description is named from the catalogue, never by category.
    assert "What we approved • MRI of the knee: 10 times, from December" in member
    assert "What we did not approve • MRI of the lower back, asked for 10 times from" in member
    assert ": not approved." in member
    assert "MRI of the lower back: The information we have does not show" in member
    assert "Six weeks" not in member  # the member reads the plain-language criterion
    assert '"You have tried six weeks of treatment such as physical therapy."' in member
    assert "warning signs such as new weakness" not in member  # one criterion, not the set

    provider = _pdf_text(letter_html(partial.letters.get(recipient="provider")))
    assert "MRI of the knee" in provider and "CPT 73721" in provider
    assert "MRI of the lower back" in provider and "CPT 72148" in provider
    assert "Line 2 (MRI of the lower back) – Not medically necessary." in provider
    assert "medically necessary for the patient" in provider
    assert "for you" not in provider
    assert "Criterion not met: 1. Six weeks of conservative therapy documented" in provider
    assert "Red-flag symptoms present" not in provider
    # pdftotext may break a long address over two lines.
    links = provider.replace(" ", "")
    assert f"https://um.plan.example/portal/requests/{partial.care_request.pk}/appeal/" in links
    assert f"https://um.plan.example/scheduling/portal/cases/{partial.care_request.pk}/" in links


@pytest.mark.django_db
@pytest.mark.parametrize(
    "broken, missing",
    [
        ("MRI of the lower back", "service name (line 2) in denied_services"),
        ("The information we have does not show", "specific reason (line 2)"),
        ('"You have tried six weeks', "criterion (line 2)"),
    ],
)
def test_letter_check_refuses_a_partial_denial_without_each_lines_parts(partial, broken, missing):
    from determinations.services.letters import letter_expectations, letter_html_and_context

    html, context = letter_html_and_context(partial.letters.get(recipient="member"))
    assert broken in html or broken.replace('"', "&quot;") in html
    damaged = html.replace(broken, "Something").replace(broken.replace('"', "&quot;"), "x")
    with pytest.raises(LetterIncomplete) as exc:
        letter_check(damaged, "partial", recipient="member", expect=letter_expectations(context))
    assert any(m.startswith(missing.split(" in ")[0]) for m in exc.value.missing), exc.value


@pytest.mark.django_db
def test_letter_check_refuses_a_provider_letter_speaking_to_the_member_or_linking_relatively(
    partial, settings
):
    settings.SITE_URL = "https://um.plan.example"
    from determinations.services.letters import letter_expectations, letter_html_and_context

    html, context = letter_html_and_context(partial.letters.get(recipient="provider"))
    expect = letter_expectations(context)
    letter_check(html, "partial", expect=expect)
    for damaged, missing in [
        (html.replace("for the patient", "for you"), "provider wording (reason addresses"),
        (html.replace("https://um.plan.example", ""), "absolute links"),
        (
            html.replace("Peer-to-peer discussion</h2>", "</h2>").replace(
                '<section data-section="peer_to_peer">', "<section>"
            ),
            "peer_to_peer",
        ),
    ]:
        with pytest.raises(LetterIncomplete) as exc:
            letter_check(damaged, "partial", expect=expect)
        assert any(m.startswith(missing) for m in exc.value.missing), exc.value.missing
