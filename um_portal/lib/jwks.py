"""A registered client's public key for checking its signed JWT: from the JWK Set stored with
the client, or fetched from the client's https URL (cached an hour). Used by the CDS Hooks
trust check (crd) and SMART Backend Services (access), which differ only in their rules for
`kid`, the algorithms they accept and whether fetching is allowed."""

import json
import urllib.request

import jwt
from django.core.cache import cache

MAX_JWKS_BYTES = 256 * 1024
JWKS_CACHE_SECONDS = 3600


class JwksError(Exception):
    """No usable key; the message is for our log, never for the caller."""


def jwks_keys(jwks: dict, jwks_url: str, *, fetch: bool, timeout: float, cache_key: str) -> list:
    """The stored keys, or those published at `jwks_url` when fetching is allowed (https only:
    a plain-http or internal-scheme URL would let a registration make us call anywhere)."""
    if jwks.get("keys"):
        return list(jwks["keys"])
    if not (fetch and jwks_url.startswith("https://")):
        raise JwksError("no stored keys and no fetchable https JWKS URL")
    cached = cache.get(cache_key)
    if cached is None:
        try:
            with urllib.request.urlopen(jwks_url, timeout=timeout) as resp:  # noqa: S310 (https only, checked above)
                cached = json.loads(resp.read(MAX_JWKS_BYTES))
        except (OSError, ValueError) as exc:
            raise JwksError(f"JWKS fetch failed: {type(exc).__name__}") from exc
        cache.set(cache_key, cached, JWKS_CACHE_SECONDS)
    keys = cached.get("keys") if isinstance(cached, dict) else None
    return [k for k in keys if isinstance(k, dict)] if isinstance(keys, list) else []


def signing_key(keys: list, *, kid: str | None, alg: str, kid_required: bool):
    """The key with this `kid` usable with `alg` (a key of another type is skipped). Without a
    `kid` in the token, any key fits unless `kid_required`."""
    if kid_required and not kid:
        raise JwksError("the token names no kid")
    for jwk in keys:
        if not isinstance(jwk, dict) or kid not in (None, jwk.get("kid")):
            continue
        try:
            return jwt.PyJWK(jwk, algorithm=alg).key
        except (jwt.PyJWTError, ValueError, TypeError, KeyError):
            continue  # a key of another type (an EC key for an RS384 token)
    raise JwksError("no registered key matches the token's kid and alg")
