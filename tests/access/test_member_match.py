"""Da Vinci HRex $member-match (Payer-to-Payer): the HRex example request matches our member
by demographics and the coverage's member ID, records the member's consent and answers the
UMB identifier; no match is 422; malformed input 400; only another payer's client may call."""

import copy
import json
from datetime import date
from pathlib import Path

import pytest

from members.models import DataSharingChoice
from tests.access.conftest import bearer
from tests.factories import CoverageFactory
from um_portal.audit.models import AccessLog, AuditEvent

pytestmark = pytest.mark.django_db

EXAMPLE = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "hrex" / "member-match-in.json").read_text()
)
URL = "/fhir/Patient/$member-match"


@pytest.fixture
def patricia(db):
    return CoverageFactory(
        member__first_name="Patricia",
        member__last_name="Person",
        member__birth_date=date(1974, 12, 25),
        member_number="DH10001235",
    ).member


@pytest.fixture
def payer_token(client, payer_backend, rsa_key):
    return bearer(client, payer_backend, rsa_key)


def post(http, body, token):
    data = body if isinstance(body, str) else json.dumps(body)
    return http.post(
        URL, data, content_type="application/fhir+json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )


def test_the_hrex_example_matches_and_records_consent(client, payer_token, patricia, payer_backend):
    response = post(client, EXAMPLE, payer_token)
    assert response.status_code == 200, response.content
    parameters = {p["name"]: p for p in response.json()["parameter"]}
    identifier = parameters["MemberIdentifier"]["valueIdentifier"]
    assert identifier["type"]["coding"][0]["code"] == "UMB"
    assert identifier["value"] == str(patricia.pk)
    assert parameters["MemberId"]["valueReference"]["reference"] == f"Patient/{patricia.pk}"
    choice = DataSharingChoice.objects.get(member=patricia)
    assert choice.payer_to_payer_opted_in is True
    assert choice.payer_to_payer_changed_at is not None
    assert choice.payer_to_payer_source == "$member-match consent via New Health Plan"
    assert AccessLog.objects.filter(
        action="member_match", member_id=patricia.pk, user=payer_backend.user
    ).exists()
    assert AuditEvent.objects.filter(action="access.payer_to_payer_consent").count() == 1


def test_no_match_is_422_and_records_nothing(client, payer_token, patricia):
    request = copy.deepcopy(EXAMPLE)
    request["parameter"][0]["resource"]["birthDate"] = "1974-12-26"
    response = post(client, request, payer_token)
    assert response.status_code == 422
    assert response.json()["resourceType"] == "OperationOutcome"
    assert not DataSharingChoice.objects.exists()


def test_two_members_alike_is_no_unique_match(client, payer_token, patricia):
    CoverageFactory(
        member__first_name="Patricia",
        member__last_name="Person",
        member__birth_date=date(1974, 12, 25),
        member_number="DH10001235",
    )
    assert post(client, EXAMPLE, payer_token).status_code == 422


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        "[]",
        {"resourceType": "Patient"},
        {"resourceType": "Parameters", "parameter": []},
        {"resourceType": "Parameters", "parameter": "x"},
    ],
)
def test_bad_input_is_400(client, payer_token, body):
    response = post(client, body, payer_token)
    assert response.status_code == 400
    assert response.json()["issue"][0]["code"] == "invalid"


def test_a_consent_that_does_not_permit_is_400(client, payer_token, patricia):
    request = copy.deepcopy(EXAMPLE)
    request["parameter"][3]["resource"]["provision"]["type"] = "deny"
    assert post(client, request, payer_token).status_code == 400
    request["parameter"][3]["resource"]["provision"]["type"] = "permit"
    request["parameter"][3]["resource"]["policy"] = [{"uri": "urn:other"}]
    assert post(client, request, payer_token).status_code == 400
    assert not DataSharingChoice.objects.exists()


def test_a_bad_birth_date_is_400(client, payer_token, patricia):
    request = copy.deepcopy(EXAMPLE)
    request["parameter"][0]["resource"]["birthDate"] = "25/12/1974"
    assert post(client, request, payer_token).status_code == 400


def test_a_provider_client_may_not_match(client, token, patricia):
    assert post(client, EXAMPLE, token).status_code == 403


def test_no_token_is_401(client, patricia):
    assert client.post(URL, EXAMPLE, content_type="application/json").status_code == 401
