"""PAS test data: the Da Vinci PAS example bundles in tests/fixtures/pas and hand-made urn:uuid
bundles."""

import copy
import json
import uuid
from datetime import date
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from intake.models import CareRequest
from portal.models import PasSubmission
from tests.factories import CoverageFactory, MemberFactory, ProviderFactory

# The tests own their fixtures: a fresh clone anywhere has them (see the folder's README).
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pas"
FHIR_JSON = "application/fhir+json"
CPT = "http://www.ama-assn.org/go/cpt"
HCPCS = "https://bluebutton.cms.gov/resources/codesystem/hcpcs"
X12_1365 = "http://codesystem.x12.org/005010/1365"
ICD10 = "http://hl7.org/fhir/sid/icd-10-cm"
NPI = "http://hl7.org/fhir/sid/us-npi"
REVIEW_ACTION = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-reviewAction"
REVIEW_ACTION_CODE = (
    "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-reviewActionCode"
)


def load_fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


def counts() -> tuple[int, int]:
    return CareRequest.objects.count(), PasSubmission.objects.count()


def review_actions(bundle: dict) -> dict[int, str]:
    """{item sequence: X12 review action code} from a response Bundle's ClaimResponse."""
    claim_response = bundle["entry"][0]["resource"]
    out = {}
    for item in claim_response["item"]:
        for adjudication in item["adjudication"]:
            for ext in adjudication.get("extension", []):
                if ext["url"] != REVIEW_ACTION:
                    continue
                for sub in ext["extension"]:
                    if sub["url"] == REVIEW_ACTION_CODE:
                        out[item["itemSequence"]] = sub["valueCodeableConcept"]["coding"][0]["code"]
    return out


def outcome_text(body: dict) -> str:
    assert body["resourceType"] == "OperationOutcome"
    return " | ".join(issue.get("diagnostics", "") for issue in body["issue"])


@pytest.fixture
def pas_client(provider_user):
    token, _ = Token.objects.get_or_create(user=provider_user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.key}")
    return client


@pytest.fixture
def outsider_pas_client(outsider):
    token, _ = Token.objects.get_or_create(user=outsider)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.key}")
    return client


def post(client, path: str, body) -> object:
    return client.post(path, data=json.dumps(body), content_type=FHIR_JSON)


@pytest.fixture
def example_member(db):
    """The member the shared examples name (JOE SMITH, member ID 12345678901)."""
    member = MemberFactory(first_name="Joe", last_name="Smith", birth_date=date(1970, 1, 1))
    return CoverageFactory(member=member, member_number="12345678901")


@pytest.fixture
def org_provider(organization):
    return ProviderFactory(organization=organization, name="Lakeside Spine Group")


@pytest.fixture
def servicing(db):
    return ProviderFactory(organization=None, name="Dr. Susan Watson")


def with_registered_npis(bundle: dict, requester_npi: str, practitioner_npi: str) -> dict:
    """The shared examples' NPIs (8189991234, 987654321) fail the NPI check digit; real ones
    are swapped in so the rest of the example can be exercised."""
    bundle = copy.deepcopy(bundle)
    for entry in bundle["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] == "Organization" and "UMOExample" in entry["fullUrl"]:
            resource["identifier"][0]["value"] = requester_npi
        if resource["resourceType"] == "Practitioner":
            resource["identifier"][0]["value"] = practitioner_npi
    return bundle


def make_bundle(
    *,
    member_id: str,
    family: str,
    given: str,
    birth_date: str | None,
    requester_npi: str,
    practitioner_npi: str | None = None,
    items: list[dict] | None = None,
    diagnoses: tuple[str, ...] = ("M54.16",),
    identifier: str | None = None,
    priority: str = "normal",
) -> dict:
    """A PAS request Bundle whose references are all urn:uuid fullUrls."""
    ids = {
        k: f"urn:uuid:{uuid.uuid4()}"
        for k in ("claim", "patient", "coverage", "insurer", "requester", "practitioner")
    }
    patient = {
        "resourceType": "Patient",
        "identifier": [{"system": "http://example.org/member-id", "value": member_id}],
        "name": [{"family": family, "given": [given]}],
        "gender": "female",
    }
    if birth_date:
        patient["birthDate"] = birth_date
    items = items or [{"system": CPT, "code": "72148", "quantity": 1}]
    claim = {
        "resourceType": "Claim",
        "identifier": [
            {"system": "http://example.org/claim-id", "value": identifier or uuid.uuid4().hex}
        ],
        "status": "active",
        "type": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/claim-type",
                    "code": "professional",
                }
            ]
        },
        "use": "preauthorization",
        "patient": {"reference": ids["patient"]},
        "created": "2026-01-05T10:00:00Z",
        "insurer": {"reference": ids["insurer"]},
        "provider": {"reference": ids["requester"]},
        "priority": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/processpriority",
                    "code": priority,
                }
            ]
        },
        "insurance": [{"sequence": 1, "focal": True, "coverage": {"reference": ids["coverage"]}}],
        "diagnosis": [
            {"sequence": i, "diagnosisCodeableConcept": {"coding": [{"system": ICD10, "code": c}]}}
            for i, c in enumerate(diagnoses, start=1)
        ],
        "item": [
            {
                "sequence": item.get("sequence", i),
                "productOrService": {"coding": [{"system": item["system"], "code": item["code"]}]},
                **({"quantity": {"value": item["quantity"]}} if "quantity" in item else {}),
                **({"servicedPeriod": item["period"]} if "period" in item else {}),
            }
            for i, item in enumerate(items, start=1)
        ],
    }
    entries = [
        (ids["claim"], claim),
        (ids["patient"], patient),
        (
            ids["coverage"],
            {
                "resourceType": "Coverage",
                "status": "active",
                "subscriberId": member_id,
                "beneficiary": {"reference": ids["patient"]},
                "payor": [{"reference": ids["insurer"]}],
            },
        ),
        (ids["insurer"], {"resourceType": "Organization", "name": "Sunrise Health Plan"}),
        (
            ids["requester"],
            {
                "resourceType": "Organization",
                "identifier": [{"system": NPI, "value": requester_npi}],
                "name": "Lakeside Spine Group",
            },
        ),
    ]
    if practitioner_npi:
        claim["careTeam"] = [{"sequence": 1, "provider": {"reference": ids["practitioner"]}}]
        entries.append(
            (
                ids["practitioner"],
                {
                    "resourceType": "Practitioner",
                    "identifier": [{"system": NPI, "value": practitioner_npi}],
                    "name": [{"family": "Watson", "given": ["Susan"]}],
                },
            )
        )
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": "2026-01-05T10:00:00Z",
        "entry": [{"fullUrl": url, "resource": resource} for url, resource in entries],
    }


@pytest.fixture
def bundle_for(org_provider):
    """make_bundle for a coverage, from the provider user's organisation."""

    def build(coverage, **kwargs):
        member = coverage.member
        kwargs.setdefault("requester_npi", org_provider.npi)
        return make_bundle(
            member_id=coverage.member_number,
            family=member.last_name,
            given=member.first_name,
            birth_date=member.birth_date.isoformat(),
            **kwargs,
        )

    return build
