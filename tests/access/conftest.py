"""A provider organisation's backend system with its signing keys, members attributed to the
organisation (one opted out, one attributed elsewhere), and a client assertion maker."""

import time
import uuid
from datetime import timedelta

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.utils import timezone

from access.models import Attribution, AttributionGroup, BackendClient
from access.oauth import token_url
from access.services import backend_client_create
from members.models import DataSharingChoice
from tests.factories import CoverageFactory, make_case

KID = "provider-key-1"


@pytest.fixture(scope="session")
def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def ec_key():
    return ec.generate_private_key(ec.SECP384R1())


def public_jwk(private_key, kid: str, alg: str) -> dict:
    algorithm = jwt.get_algorithm_by_name(alg)
    jwk = algorithm.to_jwk(private_key.public_key(), as_dict=True)
    return {**jwk, "kid": kid, "alg": alg}


def assertion(client: BackendClient, key, *, alg="RS384", kid=KID, **claims) -> str:
    now = int(time.time())
    payload = {
        "iss": client.client_id,
        "sub": client.client_id,
        "aud": token_url(),
        "exp": now + 240,
        "jti": uuid.uuid4().hex,
        **claims,
    }
    return jwt.encode(payload, key, algorithm=alg, headers={"kid": kid})


def token_request(http, client_assertion: str, scope="system/*.read"):
    return http.post(
        "/oauth/token/",
        {
            "grant_type": "client_credentials",
            "scope": scope,
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": client_assertion,
        },
    )


@pytest.fixture
def backend(organization, rsa_key, ec_key):
    return backend_client_create(
        name="Practice EHR",
        organization=organization,
        jwks={
            "keys": [
                public_jwk(rsa_key, KID, "RS384"),
                public_jwk(ec_key, "provider-key-ec", "ES384"),
            ]
        },
        scopes="system/*.read",
    )


@pytest.fixture
def other_backend(other_organization, rsa_key):
    return backend_client_create(
        name="Other practice EHR",
        organization=other_organization,
        jwks={"keys": [public_jwk(rsa_key, KID, "RS384")]},
        scopes="system/*.read",
    )


@pytest.fixture
def payer_backend(rsa_key):
    return backend_client_create(
        name="New Health Plan",
        kind=BackendClient.Kind.PAYER,
        jwks={"keys": [public_jwk(rsa_key, KID, "RS384")]},
        scopes="system/Patient.read",
    )


def bearer(http, client, key) -> str:
    response = token_request(http, assertion(client, key), scope=client.scopes)
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


@pytest.fixture
def token(client, backend, rsa_key):
    return bearer(client, backend, rsa_key)


@pytest.fixture
def attributed(organization, other_organization, intake_specialist):
    """Three members attributed to the organisation's group — Ana (shared, with a prior
    authorization), Ben (shared), Olga (opted out) — plus Pia (attributed to the other
    organisation) and Eva (attribution ended)."""
    today = timezone.localdate()
    group = AttributionGroup.objects.create(organization=organization, name="Practice panel")
    other_group = AttributionGroup.objects.create(
        organization=other_organization, name="Other panel"
    )
    people = {}
    for name in ("Ana", "Ben", "Olga", "Pia", "Eva"):
        coverage = CoverageFactory(member__first_name=name)
        people[name] = coverage.member
        Attribution.objects.create(
            group=other_group if name == "Pia" else group,
            member=coverage.member,
            start=today - timedelta(days=30),
            end=today - timedelta(days=1) if name == "Eva" else None,
            source=Attribution.Source.PCP,
        )
        if name == "Ana":
            people["case"] = make_case(
                actor=intake_specialist, coverage=coverage, organization=organization
            )
    DataSharingChoice.objects.create(member=people["Olga"], provider_access_opted_out=True)
    return {"group": group, "other_group": other_group, **people}
