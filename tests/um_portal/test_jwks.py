"""The shared JWKS key lookup of the CDS Hooks and Backend Services checks."""

import json

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from um_portal.lib.jwks import JwksError, jwks_keys, signing_key


def public_jwk(private, kid: str) -> dict:
    jwk = json.loads(
        jwt.algorithms.get_default_algorithms()[
            "RS384" if isinstance(private, rsa.RSAPrivateKey) else "ES384"
        ].to_jwk(private.public_key())
    )
    return {**jwk, "kid": kid}


def test_a_url_that_is_not_https_is_never_fetched():
    for url in ("http://keys.example/jwks", "file:///etc/passwd", ""):
        with pytest.raises(JwksError):
            jwks_keys({}, url, fetch=True, timeout=1, cache_key="t:jwks")
    with pytest.raises(JwksError):
        jwks_keys({}, "https://keys.example/jwks", fetch=False, timeout=1, cache_key="t:jwks")


def test_the_key_of_the_kid_and_alg_is_found_and_another_type_skipped():
    ec_jwk = public_jwk(ec.generate_private_key(ec.SECP384R1()), "k1")
    rsa_jwk = public_jwk(rsa.generate_private_key(public_exponent=65537, key_size=2048), "k1")
    keys = jwks_keys({"keys": [ec_jwk, rsa_jwk]}, "", fetch=False, timeout=1, cache_key="x")
    assert isinstance(signing_key(keys, kid="k1", alg="RS384", kid_required=True), rsa.RSAPublicKey)
    assert isinstance(
        signing_key(keys, kid=None, alg="ES384", kid_required=False), ec.EllipticCurvePublicKey
    )
    with pytest.raises(JwksError):
        signing_key(keys, kid="k2", alg="RS384", kid_required=True)
    with pytest.raises(JwksError):
        signing_key(keys, kid=None, alg="RS384", kid_required=True)
