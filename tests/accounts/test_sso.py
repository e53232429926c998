"""Single sign-on through OpenID Connect (issue 15), against a provider the tests start."""

from urllib.parse import parse_qs, urlparse

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.accounts.oidc_provider import CLIENT_ID, CLIENT_SECRET, TinyOidcProvider
from um_portal.accounts.models import User
from um_portal.accounts.roles import Role
from um_portal.audit.models import AuditEvent

BACKEND = "um_portal.accounts.oidc.RoleMappingOIDCBackend"


@pytest.fixture
def idp(settings):
    with TinyOidcProvider() as provider:
        discovery = requests.get(f"{provider.url}/.well-known/openid-configuration", timeout=5)
        endpoints = discovery.json()
        settings.OIDC_ENABLED = True
        settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, BACKEND]
        settings.OIDC_RP_CLIENT_ID = CLIENT_ID
        settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
        settings.OIDC_OP_AUTHORIZATION_ENDPOINT = endpoints["authorization_endpoint"]
        settings.OIDC_OP_TOKEN_ENDPOINT = endpoints["token_endpoint"]
        settings.OIDC_OP_USER_ENDPOINT = endpoints["userinfo_endpoint"]
        settings.OIDC_OP_JWKS_ENDPOINT = endpoints["jwks_uri"]
        settings.OIDC_GROUP_ROLES = (
            '{"UM Nurses": "um_nurse", "Medical Directors": "medical_director"}'
        )
        settings.OIDC_PROXY = {"http": None, "https": None}
        settings.STAFF_2FA_REQUIRED = True
        yield provider


def sso_sign_in(client, idp, userinfo: dict, code: str = "code-1"):
    """Start at our /oidc/authenticate/, 'sign in' at the IdP, come back to the callback."""
    start = client.get("/oidc/authenticate/?next=/review/")
    assert start.status_code == 302
    authorize = urlparse(start["Location"])
    assert f"{authorize.scheme}://{authorize.netloc}{authorize.path}" == f"{idp.url}/authorize"
    query = {k: v[0] for k, v in parse_qs(authorize.query).items()}
    assert query["client_id"] == CLIENT_ID and query["code_challenge_method"] == "S256"
    idp.grant(code, nonce=query["nonce"], userinfo=userinfo)
    return client.get(f"/oidc/callback/?code={code}&state={query['state']}")


@pytest.mark.django_db
def test_a_nurse_signs_in_through_the_identity_provider_and_gets_her_role(client, idp):
    response = sso_sign_in(
        client,
        idp,
        {
            "sub": "idp-42",
            "email": "nora@plan.example",
            "given_name": "Nora",
            "family_name": "Patel",
            "groups": ["UM Nurses", "Cafeteria"],
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/review/"
    user = User.objects.get(username="oidc-idp-42")
    assert user.role_names == frozenset({Role.NURSE})
    assert (user.first_name, user.email) == ("Nora", "nora@plan.example")
    assert not user.has_usable_password()
    # The IdP asked its own second factor: ours is not asked again.
    assert client.get("/review/").status_code == 200
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {
        "sso.user_created",
        "sso.roles_changed",
    }


@pytest.mark.django_db
def test_the_groups_claim_decides_the_roles_at_every_sign_in(client, idp):
    info = {"sub": "idp-7", "groups": ["UM Nurses"]}
    sso_sign_in(client, idp, info, code="c1")
    client.post("/accounts/logout/")

    sso_sign_in(client, idp, {**info, "groups": ["Medical Directors", "um_manager"]}, code="c2")

    user = User.objects.get(username="oidc-idp-7")
    assert user.role_names == frozenset({Role.DIRECTOR, Role.MANAGER})


@pytest.mark.django_db
def test_a_person_with_no_mapped_group_is_refused(client, idp):
    response = sso_sign_in(client, idp, {"sub": "idp-9", "groups": ["Cafeteria", "provider"]})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?sso=failed"
    assert not User.objects.filter(username="oidc-idp-9").exists()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_an_sso_account_never_takes_over_a_local_account_of_the_same_name(client, idp, nurse):
    sso_sign_in(
        client, idp, {"sub": "nurse", "preferred_username": "nurse", "groups": ["um_manager"]}
    )
    nurse.refresh_from_db()
    assert nurse.role_names == frozenset({Role.NURSE})
    assert User.objects.get(username="oidc-nurse").role_names == frozenset({Role.MANAGER})


@pytest.mark.django_db
def test_an_id_token_signed_with_a_key_the_provider_does_not_publish_is_refused(client, idp):
    idp.signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    response = sso_sign_in(client, idp, {"sub": "idp-5", "groups": ["UM Nurses"]})

    assert response.status_code == 400
    assert not User.objects.filter(username="oidc-idp-5").exists()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_single_sign_on_answers_404_while_disabled(client, settings):
    settings.OIDC_ENABLED = False
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404
