"""A DTR QuestionnaireResponse sent in a PAS Claim's supportingInfo becomes a PDF document of the
case: the reviewer reads the answers as they would a faxed form, and a response to a checklist
questionnaire counts as that checklist document (so a complete request can pass the rules at
receipt). The questionnaire must be one of ours; we never fetch one from elsewhere."""

from django.template.loader import render_to_string
from django.utils import timezone

from intake.models import ChecklistRequirement, DocumentKind
from portal.fhir.errors import Issue, PasError
from reports.pdf import html_to_pdf

from . import questionnaires

MAX_ITEMS = 500


def _answers(items, questions: dict, depth: int = 0) -> list[dict]:
    rows = []
    for item in (items or [])[:MAX_ITEMS]:
        if not isinstance(item, dict) or depth > 5:
            continue
        values = []
        for answer in item.get("answer") or []:
            for key, value in answer.items():
                if key == "valueAttachment":
                    values.append(f"Attachment: {value.get('title') or 'untitled'}")
                elif key == "valueCoding":
                    values.append(value.get("display") or value.get("code") or "")
                elif key.startswith("value"):
                    values.append({True: "Yes", False: "No"}.get(value, str(value)))
        link = str(item.get("linkId", ""))
        text = questions.get(link) or item.get("text") or link
        rows.append({"text": text, "answers": values, "depth": depth})
        rows += _answers(item.get("item"), questions, depth + 1)
    return rows


def _questions(items) -> dict:
    out = {}
    for item in items or []:
        out[item["linkId"]] = item.get("text", "")
        out.update(_questions(item.get("item")))
    return out


def questionnaire_of(response: dict, expression: str) -> dict:
    canonical = response.get("questionnaire")
    # The base does not matter: only the id after Questionnaire/ names ours.
    q = questionnaires.questionnaire_for_canonical(canonical, "")
    if q is None:
        raise PasError(
            [
                Issue(
                    "not-found",
                    f"{expression}: the QuestionnaireResponse answers {canonical or 'nothing'}, "
                    "which is not one of our DTR questionnaires.",
                    [expression],
                )
            ]
        )
    return q


def document_kind_of(qid: str) -> str:
    if qid.startswith("checklist-"):
        rule = ChecklistRequirement.objects.filter(
            key=qid.removeprefix("checklist-"), is_current=True
        ).first()
        if rule is not None:
            return rule.document_kind
    # A criteria questionnaire documents medical necessity; it is not any checklist document.
    return DocumentKind.OTHER


def render_response(response: dict, expression: str) -> tuple[bytes, str, str]:
    """(PDF bytes, file name, document kind) of a QuestionnaireResponse."""
    q = questionnaire_of(response, expression)
    html = render_to_string(
        "crd/questionnaire_response.html",
        {
            "title": q["title"],
            "questionnaire": f"{q['id']} v{q['version']}",
            "status": str(response.get("status", "")),
            "authored": str(response.get("authored", "")),
            "rows": _answers(response.get("item"), _questions(q["item"])),
            "rendered_at": timezone.now(),
        },
    )
    return html_to_pdf(html), f"dtr-{q['id']}.pdf", document_kind_of(q["id"])


def criteria_answers(response: dict) -> dict[int, bool]:
    """{criterion sequence: answered yes/no} from a criteria questionnaire's response."""
    out = {}

    def walk(items):
        for item in items or []:
            if not isinstance(item, dict):
                continue
            link = str(item.get("linkId", ""))
            if link.startswith("criterion-") and link[10:].isdigit():
                values = [a.get("valueBoolean") for a in item.get("answer") or []]
                if values and isinstance(values[0], bool):
                    out[int(link[10:])] = values[0]
            walk(item.get("item"))

    walk(response.get("item"))
    return out
