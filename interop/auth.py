"""Bearer access tokens issued by the SMART authorization server (django-oauth-toolkit)."""

from dataclasses import dataclass

from oauth2_provider.oauth2_backends import get_oauthlib_core

from .smart import scope_allows


@dataclass(frozen=True)
class Grant:
    user: object
    application: object
    member_id: object
    scopes: frozenset[str]

    def allows(self, resource_type: str) -> bool:
        return scope_allows(set(self.scopes), resource_type)


def grant_for_request(request) -> Grant | None:
    """The member's grant behind a valid bearer token, or None (missing, expired, revoked, or
    a token of a user who is not a member)."""
    valid, oauth_request = get_oauthlib_core().verify_request(request, scopes=[])
    if not valid:
        return None
    token = oauth_request.access_token
    account = getattr(token.user, "member_account", None) if token.user_id else None
    if account is None:
        return None
    return Grant(
        user=token.user,
        application=token.application,
        member_id=account.member_id,
        scopes=frozenset(token.scope.split()),
    )
