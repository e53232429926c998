"""Bearer tokens of SMART Backend Services clients (issued by access.oauth)."""

from oauth2_provider.oauth2_backends import get_oauthlib_core

from .models import BackendClient


def backend_client_for_request(request) -> tuple[BackendClient | None, frozenset[str]]:
    """The active backend client behind a valid bearer token, and the token's scopes; (None,
    ∅) for a missing, expired or revoked token, or a member app's token."""
    valid, oauth_request = get_oauthlib_core().verify_request(request, scopes=[])
    if not valid:
        return None, frozenset()
    token = oauth_request.access_token
    client = (
        BackendClient.objects.select_related("organization", "user")
        .filter(application_id=token.application_id, active=True)
        .first()
    )
    if client is None:
        return None, frozenset()
    return client, frozenset(token.scope.split())


def system_scope_allows(scopes: frozenset[str], resource_type: str) -> bool:
    wanted = {f"system/{kind}.{how}" for kind in ("*", resource_type) for how in ("read", "rs")}
    return bool(scopes & wanted)
