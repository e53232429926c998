"""SMART App Launch (v2, standalone launch) for the Patient Access API: the scopes we grant,
the discovery document, and the token's `patient` context."""

from django.conf import settings
from django.urls import reverse
from oauth2_provider.oauth2_validators import OAuth2Validator

from .scopes import SCOPES


def scope_allows(scopes: set[str], resource_type: str) -> bool:
    wanted = {
        f"patient/{kind}.{access}" for kind in ("*", resource_type) for access in ("read", "rs")
    }
    return bool(scopes & wanted)


def fhir_base() -> str:
    return settings.SITE_URL + "/fhir"


def smart_configuration() -> dict:
    site = settings.SITE_URL
    return {
        "issuer": fhir_base(),
        "authorization_endpoint": site + reverse("oauth2_provider:authorize"),
        "token_endpoint": site + reverse("oauth2_provider:token"),
        "revocation_endpoint": site + reverse("oauth2_provider:revoke-token"),
        # private_key_jwt and client_credentials: SMART Backend Services (the access app).
        "token_endpoint_auth_methods_supported": [
            "client_secret_basic",
            "client_secret_post",
            "private_key_jwt",
        ],
        "token_endpoint_auth_signing_alg_values_supported": ["RS384", "ES384"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "response_types_supported": ["code"],
        "scopes_supported": sorted(SCOPES),
        "code_challenge_methods_supported": ["S256"],
        "capabilities": [
            "launch-standalone",
            "client-public",
            "client-confidential-symmetric",
            "client-confidential-asymmetric",
            "context-standalone-patient",
            "permission-offline",
            "permission-patient",
            "permission-v1",
            "permission-v2",
        ],
    }


class SmartValidator(OAuth2Validator):
    """Adds SMART's launch context to the token response: `patient`, the member's FHIR id,
    when the app was granted `launch/patient` (both at the code exchange and on refresh)."""

    def validate_code(self, client_id, code, client, request, *args, **kwargs):
        valid = super().validate_code(client_id, code, client, request, *args, **kwargs)
        if valid:
            self._add_patient(request, request.scopes or [])
        return valid

    def validate_refresh_token(self, refresh_token, client, request, *args, **kwargs):
        valid = super().validate_refresh_token(refresh_token, client, request, *args, **kwargs)
        if valid:
            self._add_patient(request, self.get_original_scopes(refresh_token, request))
        return valid

    @staticmethod
    def _add_patient(request, scopes) -> None:
        account = getattr(request.user, "member_account", None)
        if account is not None and "launch/patient" in scopes:
            request.extra_credentials = {
                **(request.extra_credentials or {}),
                "patient": str(account.member_id),
            }
