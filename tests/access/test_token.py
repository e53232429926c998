"""SMART Backend Services at /oauth/token/: a client assertion signed by a registered key
(RS384 or ES384) gets a five-minute token; a bad signature, another audience, a replayed or
expired assertion, or a member app's scope gets invalid_client / invalid_scope."""

import time

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from oauth2_provider.models import AccessToken

from tests.access.conftest import assertion, token_request

pytestmark = pytest.mark.django_db


def test_a_signed_assertion_gets_a_five_minute_system_token(client, backend, rsa_key):
    response = token_request(client, assertion(backend, rsa_key))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 300
    assert body["scope"] == "system/*.read"
    stored = AccessToken.objects.get()
    assert stored.application_id == backend.application_id
    assert stored.user_id is None


def test_es384_is_accepted(client, backend, ec_key):
    response = token_request(client, assertion(backend, ec_key, alg="ES384", kid="provider-key-ec"))
    assert response.status_code == 200, response.content


def test_a_bad_signature_is_refused(client, backend):
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    response = token_request(client, assertion(backend, stranger))
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert not AccessToken.objects.exists()


def test_another_audience_is_refused(client, backend, rsa_key):
    response = token_request(client, assertion(backend, rsa_key, aud="https://other.example/t"))
    assert response.json()["error"] == "invalid_client"
    assert not AccessToken.objects.exists()


def test_a_replayed_assertion_is_refused(client, backend, rsa_key):
    once = assertion(backend, rsa_key)
    assert token_request(client, once).status_code == 200
    again = token_request(client, once)
    assert again.json()["error"] == "invalid_client"
    assert AccessToken.objects.count() == 1


def test_an_expired_assertion_is_refused(client, backend, rsa_key):
    response = token_request(client, assertion(backend, rsa_key, exp=int(time.time()) - 120))
    assert response.json()["error"] == "invalid_client"


def test_an_assertion_living_longer_than_five_minutes_is_refused(client, backend, rsa_key):
    response = token_request(client, assertion(backend, rsa_key, exp=int(time.time()) + 3600))
    assert response.json()["error"] == "invalid_client"


def test_rs256_is_refused(client, backend, rsa_key):
    response = token_request(client, assertion(backend, rsa_key, alg="RS256"))
    assert response.json()["error"] == "invalid_client"


def test_iss_must_equal_sub(client, backend, other_backend, rsa_key):
    response = token_request(client, assertion(backend, rsa_key, sub=other_backend.client_id))
    assert response.json()["error"] == "invalid_client"


def test_an_inactive_client_is_refused(client, backend, rsa_key):
    backend.active = False
    backend.save()
    response = token_request(client, assertion(backend, rsa_key))
    assert response.json()["error"] == "invalid_client"


def test_a_patient_scope_is_not_given_to_a_backend_client(client, backend, rsa_key):
    response = token_request(client, assertion(backend, rsa_key), scope="patient/*.read")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_scope"


def test_garbage_assertion_is_refused_without_error(client, backend):
    response = token_request(client, "not-a-jwt")
    assert response.json()["error"] == "invalid_client"
