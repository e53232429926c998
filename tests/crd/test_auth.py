"""CDS Hooks JWT trust: a bad token is a bare 401 and nothing is read or logged."""

import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import ValidationError

from crd.models import CdsClient
from um_portal.audit.models import AccessLog

from .conftest import call, hook_request, make_token

CPT = "http://www.ama-assn.org/go/cpt"
pytestmark = pytest.mark.django_db


@pytest.fixture
def mri():
    return hook_request((CPT, "72148"))


def assert_refused(response):
    assert response.status_code == 401
    assert response.json() == {}
    assert response["WWW-Authenticate"] == "Bearer"
    assert AccessLog.objects.count() == 0


def test_valid_es384_token_is_accepted(client, cds_client, rules, crd_member, ec_key, mri):
    response = call(client, mri, make_token(ec_key, kid="ec-1", alg="ES384"))
    assert response.status_code == 200


def test_missing_token_is_refused(client, cds_client, rules, crd_member, mri):
    assert_refused(call(client, mri, None))


def test_bad_signature_is_refused(client, cds_client, rules, crd_member, mri):
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert_refused(call(client, mri, make_token(stranger)))


def test_wrong_audience_is_refused(client, cds_client, rules, crd_member, rsa_key, mri):
    token = make_token(rsa_key, aud="http://testserver/cds-services/order-select-crd")
    assert_refused(call(client, mri, token))


def test_replayed_jti_is_refused(client, cds_client, rules, crd_member, rsa_key, mri):
    token = make_token(rsa_key)
    assert call(client, mri, token).status_code == 200
    AccessLog.objects.all().delete()
    assert_refused(call(client, mri, token))


def test_expired_token_is_refused(client, cds_client, rules, crd_member, rsa_key, mri):
    now = int(time.time())
    assert_refused(call(client, mri, make_token(rsa_key, iat=now - 900, exp=now - 600)))


def test_token_living_longer_than_five_minutes_is_refused(
    client, cds_client, rules, crd_member, rsa_key, mri
):
    assert_refused(call(client, mri, make_token(rsa_key, exp=int(time.time()) + 3600)))


def test_unknown_kid_is_refused(client, cds_client, rules, crd_member, rsa_key, mri):
    assert_refused(call(client, mri, make_token(rsa_key, kid="rsa-9")))


def test_unknown_issuer_is_refused(client, cds_client, rules, crd_member, rsa_key, mri):
    assert_refused(call(client, mri, make_token(rsa_key, iss="https://other.example")))


def test_inactive_client_is_refused(client, cds_client, rules, crd_member, rsa_key, mri):
    CdsClient.objects.update(is_active=False)
    assert_refused(call(client, mri, make_token(rsa_key)))


def test_symmetric_and_none_algorithms_are_refused(client, cds_client, mri):
    now = int(time.time())
    claims = {"iss": "https://ehr.example.org", "aud": "x", "exp": now + 60, "iat": now, "jti": "1"}
    hs = jwt.encode(claims, "secret-" * 8, algorithm="HS256", headers={"kid": "rsa-1"})
    none = jwt.encode(claims, None, algorithm="none", headers={"kid": "rsa-1"})
    assert_refused(call(client, mri, hs))
    assert_refused(call(client, mri, none))


def test_missing_jti_is_refused(client, cds_client, rules, crd_member, rsa_key, mri):
    assert_refused(call(client, mri, make_token(rsa_key, jti=None)))


def test_garbage_token_is_refused(client, cds_client, mri):
    assert_refused(call(client, mri, "not.a.jwt"))


def test_client_refuses_a_jwks_with_private_key_parts(cds_client, rsa_key):
    private = jwt.algorithms.RSAAlgorithm.to_jwk(rsa_key, as_dict=True)
    cds_client.jwks = {"keys": [private | {"kid": "leak"}]}
    with pytest.raises(ValidationError, match="private key parts"):
        cds_client.full_clean()


def test_client_needs_keys_or_a_jwks_url(cds_client):
    cds_client.jwks = {}
    with pytest.raises(ValidationError, match="public keys or the URL"):
        cds_client.full_clean()


def test_demo_client_is_added_once_with_public_keys_only(provider_user, settings, tmp_path):
    from crd.demo import seed_crd
    from crd.models import private_key_members

    settings.VAR_DIR = tmp_path
    first = seed_crd(users={"provider": provider_user}, log=lambda *_: None)
    again = seed_crd(users={"provider": provider_user}, log=lambda *_: None)
    assert first.pk == again.pk and CdsClient.objects.count() == 1
    assert private_key_members(first.jwks) == set()
    first.full_clean()
    assert (tmp_path / "demo-cds-client-key.pem").read_bytes().startswith(b"-----BEGIN")
