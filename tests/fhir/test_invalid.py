"""Bundles that cannot be processed: 4xx with an OperationOutcome saying what is wrong, and
nothing created."""

import copy

import pytest

from tests.factories import valid_npi
from tests.fhir.conftest import CPT, counts, outcome_text, post

SUBMIT = "/fhir/Claim/$submit"


def _claim(bundle):
    return bundle["entry"][0]["resource"]


def _drop(bundle, resource_type):
    bundle["entry"] = [e for e in bundle["entry"] if e["resource"]["resourceType"] != resource_type]
    return bundle


CASES = {
    "not a bundle": (lambda b: _claim(b), 400, "$submit takes a Bundle, not Claim."),
    "wrong bundle type": (
        lambda b: {**b, "type": "transaction"},
        400,
        "A PAS request Bundle has type collection, not transaction.",
    ),
    "claim not first": (
        lambda b: {**b, "entry": b["entry"][1:] + b["entry"][:1]},
        400,
        "The first entry must be the Claim, not a Patient.",
    ),
    "missing referenced patient": (
        lambda b: _drop(b, "Patient"),
        400,
        "which is not in the Bundle",
    ),
    "unknown resource type": (
        lambda b: {**b, "entry": b["entry"] + [{"resource": {"resourceType": "Spaceship"}}]},
        400,
        "The Bundle is not valid FHIR R4",
    ),
    "invalid cpt code": (
        lambda b: (_claim(b)["item"][0]["productOrService"]["coding"][0].update(code="7214"), b)[1],
        400,
        "7214 is not a CPT code",
    ),
    "unsupported code system": (
        lambda b: (
            _claim(b)["item"][0]["productOrService"]["coding"][0].update(
                system="http://snomed.info/sct"
            ),
            b,
        )[1],
        400,
        "has no CPT, HCPCS, X12 service type or revenue code",
    ),
    "invalid icd10": (
        lambda b: (
            _claim(b)["diagnosis"][0]["diagnosisCodeableConcept"]["coding"][0].update(
                code="Q99.99"
            ),
            b,
        )[1],
        400,
        "Q99.99 is not an ICD-10-CM code",
    ),
    "identifier too long to be an npi": (
        lambda b: (b["entry"][4]["resource"]["identifier"][0].update(value="12345678901"), b)[1],
        400,
        "12345678901 is not an NPI (at most 10 digits).",
    ),
    "requester without npi": (
        lambda b: (b["entry"][4]["resource"].pop("identifier"), b)[1],
        400,
        "Claim.provider has no NPI identifier",
    ),
    "no claim identifier": (
        lambda b: (_claim(b).pop("identifier"), b)[1],
        400,
        "Claim.identifier is required",
    ),
    "not a preauthorization": (
        lambda b: (_claim(b).update(use="claim"), b)[1],
        400,
        "Claim.use must be preauthorization, not claim.",
    ),
    "claim without items": (
        lambda b: (_claim(b).pop("item"), b)[1],
        400,
        "The Claim has no item",
    ),
    "wrong birth date": (
        lambda b: (b["entry"][1]["resource"].update(birthDate="1900-01-01"), b)[1],
        422,
        "does not match the member on file",
    ),
    "requester of another organisation": (
        "other-org",
        422,
        "is not a provider of your organisation",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CASES))
def test_unprocessable_bundle_gets_operation_outcome_and_creates_nothing(
    name, pas_client, bundle_for, example_member
):
    from tests.factories import ProviderFactory

    mutate, status, text = CASES[name]
    bundle = bundle_for(
        example_member, practitioner_npi=valid_npi(), items=[{"system": CPT, "code": "72148"}]
    )
    if mutate == "other-org":
        bundle["entry"][4]["resource"]["identifier"][0]["value"] = ProviderFactory().npi
    else:
        bundle = mutate(copy.deepcopy(bundle))
    providers_before = __import__("intake.models", fromlist=["Provider"]).Provider.objects.count()
    response = post(pas_client, SUBMIT, bundle)
    assert response.status_code == status, response.json()
    assert text in outcome_text(response.json())
    assert counts() == (0, 0)
    from intake.models import Provider

    assert Provider.objects.count() == providers_before  # not even a provider row


@pytest.mark.django_db
def test_malformed_json_gets_an_operation_outcome(pas_client):
    response = pas_client.post(SUBMIT, data="{not json", content_type="application/fhir+json")
    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"


@pytest.mark.django_db
def test_every_problem_is_reported_at_once(pas_client, bundle_for, example_member):
    bundle = bundle_for(
        example_member, items=[{"system": CPT, "code": "XX"}], diagnoses=("Q99.99",)
    )
    bundle["entry"][4]["resource"]["identifier"][0]["value"] = "123456789012"
    issues = post(pas_client, SUBMIT, bundle).json()["issue"]
    assert [i["expression"][0] for i in issues] == [
        "Claim.provider.identifier",
        "Claim.item[0].productOrService",
        "Claim.diagnosis[0].diagnosisCodeableConcept",
    ]
