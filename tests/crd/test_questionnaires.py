"""DTR: criteria sets and checklist rules as Questionnaires, and $questionnaire-package."""

import json

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from crd import questionnaires

pytestmark = pytest.mark.django_db
CPT = "http://www.ama-assn.org/go/cpt"


@pytest.fixture
def fhir(provider_user):
    token, _ = Token.objects.get_or_create(user=provider_user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token.key}")
    return api


def test_criteria_set_is_a_questionnaire_with_one_item_per_criterion(fhir, rules):
    response = fhir.get("/fhir/Questionnaire/criteria-lumbar-spine-mri")
    assert response.status_code == 200
    q = response.json()
    assert q["resourceType"] == "Questionnaire"
    assert q["url"] == "http://testserver/fhir/Questionnaire/criteria-lumbar-spine-mri"
    assert q["meta"]["profile"] == [questionnaires.STD_PROFILE]
    assert [c["code"] for c in q["code"]] == ["72148", "72149", "72158"]
    group = q["item"][2]
    assert [i["linkId"] for i in group["item"]] == [f"criterion-{n}" for n in range(1, 6)]
    assert q["item"][0]["extension"][0]["valueExpression"] == {
        "language": "text/fhirpath",
        "expression": questionnaires.DIAGNOSES_EXPRESSION,
    }


def test_checklist_rule_is_a_questionnaire_with_an_attachment(fhir, rules):
    q = fhir.get("/fhir/Questionnaire/checklist-imaging-clinical-notes").json()
    assert q["title"] == "Office notes from the last 90 days"
    assert q["item"][0] == {
        "linkId": "document",
        "text": "Office notes from the last 90 days",
        "type": "attachment",
        "required": True,
    }


def test_search_lists_every_questionnaire_and_filters_by_url(fhir, rules):
    bundle = fhir.get("/fhir/Questionnaire").json()
    ids = [e["resource"]["id"] for e in bundle["entry"]]
    assert "criteria-lumbar-spine-mri" in ids and "checklist-dme-order" in ids
    assert bundle["total"] == len(ids)
    url = "http://testserver/fhir/Questionnaire/criteria-lumbar-spine-mri|1"
    one = fhir.get("/fhir/Questionnaire", {"url": url}).json()
    assert [e["resource"]["id"] for e in one["entry"]] == ["criteria-lumbar-spine-mri"]


@pytest.mark.parametrize("qid", ["nope", "criteria-nope", "checklist-", "x" * 500])
def test_unknown_questionnaire_is_404(fhir, rules, qid):
    response = fhir.get(f"/fhir/Questionnaire/{qid}")
    assert response.status_code == 404
    assert response.json()["resourceType"] == "OperationOutcome"


def test_questionnaires_need_a_provider_token(client, outsider, rules):
    assert client.get("/fhir/Questionnaire/criteria-lumbar-spine-mri").status_code == 401


def test_package_for_an_order_holds_its_questionnaires(fhir, rules):
    order = {
        "resourceType": "ServiceRequest",
        "id": "1",
        "code": {"coding": [{"system": CPT, "code": "72148"}]},
    }
    body = {"resourceType": "Parameters", "parameter": [{"name": "order", "resource": order}]}
    response = fhir.post(
        "/fhir/Questionnaire/$questionnaire-package",
        data=json.dumps(body),
        content_type="application/fhir+json",
    )
    assert response.status_code == 200
    params = response.json()["parameter"]
    assert [p["name"] for p in params] == ["packagebundle"] * 3
    draft = params[0]["resource"]["entry"][1]["resource"]
    assert draft["questionnaire"] == (
        "http://testserver/fhir/Questionnaire/criteria-lumbar-spine-mri|1"
    )
    assert [p["resource"]["entry"][0]["resource"]["id"] for p in params] == [
        "criteria-lumbar-spine-mri",
        "checklist-imaging-clinical-notes",
        "checklist-imaging-therapy-notes",
    ]


def test_package_by_canonical(fhir, rules):
    body = {
        "resourceType": "Parameters",
        "parameter": [
            {
                "name": "questionnaire",
                "valueCanonical": "http://testserver/fhir/Questionnaire/criteria-lumbar-spine-mri",
            }
        ],
    }
    params = fhir.post(
        "/fhir/Questionnaire/$questionnaire-package",
        data=json.dumps(body),
        content_type="application/fhir+json",
    ).json()["parameter"]
    assert params[0]["resource"]["type"] == "collection"
    assert params[0]["resource"]["identifier"]["system"] == "urn:ietf:rfc:3986"


def test_package_warns_of_an_unknown_canonical(fhir, rules):
    body = {
        "resourceType": "Parameters",
        "parameter": [{"name": "questionnaire", "valueCanonical": "http://x/Questionnaire/nope"}],
    }
    params = fhir.post(
        "/fhir/Questionnaire/$questionnaire-package",
        data=json.dumps(body),
        content_type="application/fhir+json",
    ).json()["parameter"]
    [outcome] = params
    assert outcome["name"] == "outcome"
    assert [i["severity"] for i in outcome["resource"]["issue"]] == ["warning", "information"]


@pytest.mark.parametrize(
    "body", [[], {"resourceType": "Bundle"}, {"resourceType": "Parameters", "parameter": 3}]
)
def test_package_refuses_bad_input_with_an_outcome(fhir, rules, body):
    response = fhir.post(
        "/fhir/Questionnaire/$questionnaire-package",
        data=json.dumps(body),
        content_type="application/fhir+json",
    )
    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"


def test_prepopulation_evaluates_fhirpath_initial_expressions(rules):
    q = questionnaires.questionnaire_get("criteria-lumbar-spine-mri", "http://x/fhir/")
    conditions = [
        {
            "resourceType": "Condition",
            "code": {"coding": [{"system": questionnaires.ICD10CM, "code": "M54.16"}]},
        }
    ]
    imaging = [
        {"resourceType": "DiagnosticReport", "status": "final", "code": {"text": "X-ray L-spine"}},
        {"resourceType": "DiagnosticReport", "status": "preliminary", "code": {"text": "draft"}},
    ]
    qr = questionnaires.prepopulate(q, conditions=conditions, imaging=imaging)
    assert qr["questionnaire"] == "http://x/fhir/Questionnaire/criteria-lumbar-spine-mri|1"
    assert qr["item"][0]["answer"] == [{"valueString": "M54.16"}]
    assert qr["item"][1]["answer"] == [{"valueString": "X-ray L-spine"}]
    assert "answer" not in qr["item"][2]


def test_capability_statement_lists_questionnaire(client):
    body = client.get("/fhir/metadata").json()
    resources = {r["type"]: r for r in body["rest"][0]["resource"]}
    assert resources["Questionnaire"]["operation"][0]["name"] == "questionnaire-package"
