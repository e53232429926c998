"""SMART Backend Services (client_credentials with private_key_jwt) on the toolkit's token
endpoint: the client proves itself with a JWT signed by its registered key; the toolkit then
issues and stores the access token as for any other grant."""

import logging
from datetime import UTC, datetime, timedelta

import jwt
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from interop.smart import SmartValidator
from um_portal.lib.jwks import JwksError, jwks_keys, signing_key

from .models import BackendClient, UsedAssertion

log = logging.getLogger(__name__)

JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ALGORITHMS = ["RS384", "ES384"]  # what SMART Backend Services requires servers to accept
MAX_ASSERTION_LIFETIME = timedelta(minutes=5)
ACCESS_TOKEN_SECONDS = 300  # SMART recommends five minutes; the client asks again
LEEWAY_SECONDS = 30  # clock skew between the client and us
JWKS_FETCH_TIMEOUT = 5  # seconds


class AssertionRefused(Exception):
    pass


def token_url() -> str:
    return settings.SITE_URL + reverse("oauth2_provider:token")


def _signing_key(client: BackendClient, header: dict):
    try:
        keys = jwks_keys(
            client.jwks,
            client.jwks_url,
            fetch=True,
            timeout=JWKS_FETCH_TIMEOUT,
            cache_key=f"access:jwks:{client.pk}",
        )
        return signing_key(keys, kid=header.get("kid"), alg=header["alg"], kid_required=False)
    except JwksError as error:
        raise AssertionRefused(str(error)) from error


def verify_assertion(assertion: str) -> BackendClient:
    """The active client whose registered key signed `assertion`, after checking iss = sub =
    client_id, aud = our token URL, exp at most five minutes ahead and a jti never seen."""
    try:
        header = jwt.get_unverified_header(assertion)
        unverified = jwt.decode(assertion, options={"verify_signature": False})
    except jwt.PyJWTError as error:
        raise AssertionRefused("the client assertion is not a JWT") from error
    if header.get("alg") not in ALGORITHMS:
        raise AssertionRefused("the assertion must be signed with RS384 or ES384")
    client_id = unverified.get("iss")
    client = BackendClient.objects.filter(client_id=str(client_id), active=True).first()
    if client is None or unverified.get("sub") != client_id:
        raise AssertionRefused("iss and sub must be the client_id of an active client")
    try:
        claims = jwt.decode(
            assertion,
            _signing_key(client, header),
            algorithms=ALGORITHMS,
            audience=token_url(),
            leeway=LEEWAY_SECONDS,
            options={"require": ["iss", "sub", "aud", "exp", "jti"]},
        )
    except jwt.PyJWTError as error:
        raise AssertionRefused(f"the client assertion was refused: {error}") from error
    expires = datetime.fromtimestamp(claims["exp"], UTC)
    if expires - datetime.now(UTC) > MAX_ASSERTION_LIFETIME + timedelta(seconds=LEEWAY_SECONDS):
        raise AssertionRefused("exp may be at most five minutes ahead")
    try:
        with transaction.atomic():
            UsedAssertion.objects.create(client=client, jti=str(claims["jti"]), expires_at=expires)
    except IntegrityError as error:
        raise AssertionRefused("this client assertion (jti) was already used") from error
    return client


class BackendServicesValidator(SmartValidator):
    """The interop SMART validator, plus private_key_jwt client authentication for the
    client_credentials grant. A backend client gets only its own system/ scopes; a member app
    never gets a system/ scope."""

    def authenticate_client(self, request, *args, **kwargs):
        if request.client_assertion_type != JWT_BEARER:
            return super().authenticate_client(request, *args, **kwargs)
        if request.grant_type != "client_credentials":
            return False
        try:
            client = verify_assertion(request.client_assertion or "")
        except AssertionRefused as error:
            # No PHI: only why a system's assertion failed.
            log.info("Backend client assertion refused: %s", error)
            return False
        request.client = client.application
        request.client_id = client.application.client_id
        request.backend_client = client
        return True

    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs):
        backend = getattr(client, "backend_client", None) if client else None
        if request.grant_type == "client_credentials":
            return backend is not None and set(scopes) <= backend.scope_set
        if any(scope.startswith("system/") for scope in scopes):
            return False
        return super().validate_scopes(client_id, scopes, client, request, *args, **kwargs)

    def get_default_scopes(self, client_id, request, *args, **kwargs):
        backend = getattr(request.client, "backend_client", None) if request.client else None
        if request.grant_type == "client_credentials" and backend is not None:
            return sorted(backend.scope_set)
        return super().get_default_scopes(client_id, request, *args, **kwargs)

    def save_bearer_token(self, token, request, *args, **kwargs):
        if request.grant_type == "client_credentials":
            token["expires_in"] = ACCESS_TOKEN_SECONDS
        return super().save_bearer_token(token, request, *args, **kwargs)
