"""CDS Hooks trust (https://cds-hooks.hl7.org/2.0/#trusting-cds-clients): the EHR signs a short
JWT per call — header `kid` and an asymmetric `alg`; claims `iss` (a registered client), `aud`
(the URL of the service called), `exp`, `iat`, `jti`. Anything wrong is the same bare 401: the
caller learns nothing about which check failed (that goes to our log only, without the token)."""

import logging
import time

import jwt
from django.conf import settings
from django.core.cache import cache

from um_portal.lib.jwks import JwksError, jwks_keys, signing_key

from .models import CdsClient

logger = logging.getLogger(__name__)

ALGORITHMS = ["RS256", "RS384", "ES256", "ES384"]
MAX_AGE = 300  # seconds: CDS Hooks asks for tokens that expire within five minutes
LEEWAY = 30  # clock skew allowed between the EHR and us


class CdsAuthError(Exception):
    """Why a call was refused; logged, never shown."""


def _key_for(client: CdsClient, kid: str, alg: str):
    try:
        keys = jwks_keys(
            client.jwks,
            client.jwks_url,
            fetch=settings.CDS_JWKS_FETCH,
            timeout=settings.CDS_JWKS_TIMEOUT,
            cache_key=f"crd:jwks:{client.pk}",
        )
        return signing_key(keys, kid=kid, alg=alg, kid_required=True)
    except JwksError as exc:
        raise CdsAuthError(str(exc)) from exc


def cds_client_for_request(request, *, audience: str) -> CdsClient:
    """The registered client whose valid JWT authorises this call; CdsAuthError otherwise."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise CdsAuthError("no bearer token")
    try:
        unverified = jwt.get_unverified_header(token)
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise CdsAuthError("malformed token") from exc
    if unverified.get("alg") not in ALGORITHMS or not unverified.get("kid"):
        raise CdsAuthError("alg or kid not acceptable")
    issuer = claims.get("iss")
    client = (
        CdsClient.objects.select_related("acting_user", "organization")
        .filter(issuer=issuer, is_active=True)
        .first()
        if isinstance(issuer, str)
        else None
    )
    if client is None:
        raise CdsAuthError("unknown issuer")
    key = _key_for(client, unverified["kid"], unverified["alg"])
    try:
        claims = jwt.decode(
            token,
            key=key,
            algorithms=[unverified["alg"]],
            audience=audience,
            issuer=client.issuer,
            leeway=LEEWAY,
            options={"require": ["iss", "aud", "exp", "iat", "jti"]},
        )
    except jwt.PyJWTError as exc:
        raise CdsAuthError(f"token rejected: {type(exc).__name__}") from exc
    now = time.time()
    if claims["exp"] - now > MAX_AGE + LEEWAY or now - claims["iat"] > MAX_AGE + LEEWAY:
        raise CdsAuthError("token lives longer than five minutes")
    jti = str(claims["jti"])[:200]
    # cache.add is atomic (Redis SET NX): of two calls with one jti, only the first gets in.
    if not cache.add(f"crd:jti:{client.pk}:{jti}", 1, timeout=MAX_AGE + 2 * LEEWAY):
        raise CdsAuthError("jti replayed")
    return client
