"""A DTR QuestionnaireResponse in a PAS Claim's supportingInfo becomes a PDF document of the
case; a checklist questionnaire's response counts as that checklist document."""

import uuid

import pytest

from crd.pas import criteria_answers
from intake.models import CareRequest, Document
from tests.fhir.conftest import CPT, outcome_text, post
from tests.fhir.test_attachments import with_documents

SUBMIT = "/fhir/Claim/$submit"
BASE = "http://testserver/fhir/Questionnaire/"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def questionnaire_response(qid: str, items: list[dict]) -> tuple[dict, list[dict]]:
    url = f"urn:uuid:{uuid.uuid4()}"
    resource = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{BASE}{qid}|1",
        "status": "completed",
        "authored": "2026-01-05T09:00:00Z",
        "item": items,
    }
    return {"valueReference": {"reference": url}}, [{"fullUrl": url, "resource": resource}]


def criteria_items(answer: bool = True) -> list[dict]:
    return [
        {"linkId": "diagnoses", "answer": [{"valueString": "M54.16"}]},
        {
            "linkId": "criteria",
            "item": [
                {"linkId": f"criterion-{n}", "answer": [{"valueBoolean": answer}]}
                for n in range(1, 6)
            ],
        },
    ]


def checklist_items(title: str) -> list[dict]:
    return [{"linkId": "document-summary", "answer": [{"valueString": title}]}]


def test_responses_become_pdf_documents_that_complete_the_checklist(
    pas_client, rules, example_member, bundle_for
):
    bundle = with_documents(
        bundle_for(example_member, items=[{"system": CPT, "code": "72148", "quantity": 1}]),
        questionnaire_response("criteria-lumbar-spine-mri", criteria_items()),
        questionnaire_response("checklist-imaging-clinical-notes", checklist_items("Visit 12/1")),
        questionnaire_response("checklist-imaging-therapy-notes", checklist_items("PT 6 weeks")),
    )
    response = post(pas_client, SUBMIT, bundle)
    assert response.status_code == 200, response.content
    case = CareRequest.objects.get()
    documents = list(Document.objects.filter(care_request=case).order_by("original_name"))
    assert [(d.original_name, d.kind) for d in documents] == [
        ("dtr-checklist-imaging-clinical-notes.pdf", "clinical_notes"),
        ("dtr-checklist-imaging-therapy-notes.pdf", "therapy_notes"),
        ("dtr-criteria-lumbar-spine-mri.pdf", "other"),
    ]
    assert documents[0].file.read(5) == b"%PDF-"
    required_missing = case.checklist_items.filter(required=True, document__isnull=True)
    assert not required_missing.exists()


def test_response_to_a_questionnaire_not_ours_is_refused(
    pas_client, rules, example_member, bundle_for
):
    bundle = with_documents(
        bundle_for(example_member),
        questionnaire_response("criteria-somebody-elses", criteria_items()),
    )
    response = post(pas_client, SUBMIT, bundle)
    assert response.status_code == 400
    assert "not one of our DTR questionnaires" in outcome_text(response.json())
    assert CareRequest.objects.count() == 0


def test_criteria_answers_map_to_criterion_sequences():
    response = {"item": criteria_items(answer=False)}
    assert criteria_answers(response) == {n: False for n in range(1, 6)}
