"""Every FHIR resource the CRD and DTR endpoints return parses as its FHIR R4 (R4B models of
fhir.resources) resource type: the Questionnaires, their search Bundle, the
$questionnaire-package Parameters with their bundles and draft QuestionnaireResponses, and the
order a CRD systemAction hands back with its coverage-information extension."""

import json

import pytest
from fhir.resources.R4B import get_fhir_model_class

from .conftest import call, hook_request, make_token
from .test_questionnaires import fhir  # noqa: F401 - the provider-token client fixture

pytestmark = pytest.mark.django_db
CPT = "http://www.ama-assn.org/go/cpt"


def valid(resource: dict) -> None:
    """Raises when the resource breaks its type's structure (unknown element, wrong type)."""
    get_fhir_model_class(resource["resourceType"]).model_validate(resource)


def test_questionnaires_and_their_search_bundle_are_valid_fhir(fhir, rules):  # noqa: F811
    bundle = fhir.get("/fhir/Questionnaire").json()
    valid(bundle)
    assert len(bundle["entry"]) >= 2
    for entry in bundle["entry"]:
        valid(fhir.get(f"/fhir/Questionnaire/{entry['resource']['id']}").json())


def test_questionnaire_package_is_valid_fhir(fhir, rules):  # noqa: F811
    order = {
        "resourceType": "ServiceRequest",
        "id": "1",
        "status": "draft",
        "intent": "order",
        "subject": {"reference": "Patient/1"},
        "code": {"coding": [{"system": CPT, "code": "72148"}]},
    }
    body = {"resourceType": "Parameters", "parameter": [{"name": "order", "resource": order}]}
    response = fhir.post(
        "/fhir/Questionnaire/$questionnaire-package",
        data=json.dumps(body),
        content_type="application/fhir+json",
    )
    assert response.status_code == 200
    params = response.json()
    valid(params)
    kinds = {
        e["resource"]["resourceType"] for p in params["parameter"] for e in p["resource"]["entry"]
    }
    assert kinds == {"Questionnaire", "QuestionnaireResponse"}


def test_the_order_returned_by_a_crd_system_action_is_valid_fhir(
    client, cds_client, rules, crd_member, rsa_key
):
    response = call(client, hook_request((CPT, "72148")), make_token(rsa_key))
    [action] = response.json()["systemActions"]
    valid(action["resource"])
