"""CRD test data: signing keys, a registered CDS Hooks client, and hook requests built from the
CRD IG examples in tests/fixtures/crd (see the README there)."""

import copy
import json
import time
import uuid
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from crd.models import CdsClient
from intake.demo_rules import seed_rules
from review.demo_criteria import seed_criteria_sets
from tests.factories import CoverageFactory, MemberFactory

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "crd"
ISSUER = "https://ehr.example.org"
SERVICE = "http://testserver/cds-services/order-sign-crd"


def load_fixture(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text())


@pytest.fixture(scope="session")
def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def ec_key():
    return ec.generate_private_key(ec.SECP384R1())


def public_jwk(key, kid: str, alg: str) -> dict:
    jwk = json.loads(jwt.algorithms.get_default_algorithms()[alg].to_jwk(key.public_key()))
    return jwk | {"kid": kid, "alg": alg, "use": "sig"}


@pytest.fixture
def cds_client(db, organization, provider_user, rsa_key, ec_key):
    return CdsClient.objects.create(
        name="Example EHR",
        issuer=ISSUER,
        jwks={
            "keys": [
                public_jwk(rsa_key, "rsa-1", "RS384"),
                public_jwk(ec_key, "ec-1", "ES384"),
            ]
        },
        organization=organization,
        acting_user=provider_user,
    )


def make_token(key, *, kid="rsa-1", alg="RS384", aud=SERVICE, iss=ISSUER, **overrides) -> str:
    now = int(time.time())
    claims = {"iss": iss, "aud": aud, "exp": now + 300, "iat": now, "jti": uuid.uuid4().hex}
    claims.update(overrides)
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(claims, key, algorithm=alg, headers={"kid": kid})


@pytest.fixture
def rules(db):
    seed_rules()
    seed_criteria_sets()


@pytest.fixture
def crd_member(db):
    member = MemberFactory(first_name="Amy", last_name="Baxter")
    return CoverageFactory(member=member, member_number="88800933501")


def hook_request(*codes: tuple[str, str], hook: str = "order-sign") -> dict:
    """The IG's CRDServiceRequest example with its orders replaced by ServiceRequests for
    these (system, code) pairs; its prefetched Coverage names member ID 88800933501."""
    body = copy.deepcopy(load_fixture("CRDServiceRequest.json"))
    body["hook"] = hook
    entries = []
    for i, (system, code) in enumerate(codes, start=1):
        entries.append(
            {
                "fullUrl": f"http://example.org/someEHR/fhir/ServiceRequest/{i}",
                "resource": {
                    "resourceType": "ServiceRequest",
                    "id": str(i),
                    "status": "draft",
                    "intent": "original-order",
                    "code": {"coding": [{"system": system, "code": code}]},
                    "subject": {"reference": "Patient/123"},
                },
            }
        )
    body["context"]["draftOrders"] = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": entries,
    }
    return body


def call(client, body: dict, token: str | None, service: str = "order-sign-crd"):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(
        f"/cds-services/{service}",
        data=json.dumps(body),
        content_type="application/json",
        **headers,
    )


# PAS fixtures shared with tests/fhir.
from tests.fhir.conftest import (  # noqa: E402, F401
    bundle_for,
    example_member,
    org_provider,
    pas_client,
)
