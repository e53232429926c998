import time

from django.conf import settings
from django.core.cache import cache
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from um_portal.audit.services import audit_event


class BearerTokenAuthentication(TokenAuthentication):
    """`Authorization: Bearer <token>`, the form provider systems and FHIR clients send.

    Wrong tokens are counted per client address in the cache (Redis in production, so every
    web process sees the same count): after API_TOKEN_FAILURE_LIMIT of them within
    API_TOKEN_COOLOFF_SECONDS the address gets 429 with Retry-After until the period ends, so a
    token cannot be guessed by brute force any more than a password can."""

    keyword = "Bearer"

    def authenticate(self, request):
        address = request.META.get("REMOTE_ADDR", "")
        blocked_until = cache.get(_key(address, "until"))
        if blocked_until is not None:
            raise exceptions.Throttled(wait=max(1, int(blocked_until - time.time())))
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            _count_failure(address)
            raise


def _key(address: str, part: str) -> str:
    return f"{settings.API_TOKEN_THROTTLE_NAMESPACE}:{part}:{address}"


def _count_failure(address: str) -> None:
    window = settings.API_TOKEN_COOLOFF_SECONDS
    count_key = _key(address, "count")
    cache.add(count_key, 0, timeout=window)
    try:
        failures = cache.incr(count_key)
    except ValueError:  # expired between add and incr
        cache.set(count_key, 1, timeout=window)
        failures = 1
    if failures >= settings.API_TOKEN_FAILURE_LIMIT:
        cache.set(_key(address, "until"), time.time() + window, timeout=window)
        cache.delete(count_key)
        audit_event(
            actor=None,
            action="api_token.throttled",
            summary=f"API token failures from {address}: blocked for {window} seconds.",
            data={"ip_address": address, "failures": failures},
        )
