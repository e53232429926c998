"""The OAuth models in the admin: the manager registers apps (audited) and revokes a member's
tokens (audited); nobody edits or adds a token by hand. The plain PKCE method is refused."""

import pytest
from django.urls import reverse
from oauth2_provider.models import AccessToken, Grant, RefreshToken

from tests.interop.conftest import REDIRECT
from tests.interop.test_patient_access import FHIR, launch
from um_portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_manager_revokes_a_members_tokens_and_the_revocation_is_audited(
    client,
    app,
    member_user,
    denied_case,
    manager,
):
    issued = launch(client, app, member_user)
    refresh = RefreshToken.objects.get(application=app)
    manager.is_staff = True
    manager.save()
    client.force_login(manager)
    change = reverse("admin:oauth2_provider_refreshtoken_change", args=[refresh.pk])
    page = client.get(change)
    assert page.status_code == 200
    html = page.content.decode()
    assert issued["refresh_token"] not in html and issued["access_token"] not in html
    assert client.post(change, {"revoked": ""}).status_code == 403
    assert client.get(reverse("admin:oauth2_provider_accesstoken_add")).status_code == 403
    changelist = reverse("admin:oauth2_provider_refreshtoken_changelist")
    response = client.post(
        changelist, {"action": "revoke_tokens", "_selected_action": [refresh.pk]}
    )
    assert response.status_code == 302
    refresh.refresh_from_db()
    assert refresh.revoked is not None
    assert not AccessToken.objects.filter(application=app).exists()
    event = AuditEvent.objects.get(action="oauth.tokens_revoked")
    assert event.actor == manager
    assert event.data == {"model": "oauth2_provider.refreshtoken", "count": 1}


def test_registering_an_app_in_the_admin_is_audited_without_its_secret(client, manager):
    manager.is_staff = True
    manager.save()
    client.force_login(manager)
    response = client.post(
        reverse("admin:oauth2_provider_application_add"),
        {
            "name": "Family health app",
            "client_id": "family-app",
            "client_secret": "a-secret-that-must-not-be-logged",
            "hash_client_secret": "on",
            "client_type": "public",
            "authorization_grant_type": "authorization-code",
            "redirect_uris": REDIRECT,
            "post_logout_redirect_uris": "",
            "allowed_origins": "",
            "algorithm": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="config.added")
    assert event.data["object"] == "Family health app"
    assert "a-secret-that-must-not-be-logged" not in str(event.data) + event.summary


def test_the_plain_pkce_method_is_refused(client, app, member_user):
    client.force_login(member_user)
    query = {
        "response_type": "code",
        "client_id": app.client_id,
        "redirect_uri": REDIRECT,
        "scope": "launch/patient patient/*.read",
        "state": "xyz",
        "aud": FHIR,
        "code_challenge": "a" * 43,
        "code_challenge_method": "plain",
    }
    response = client.post("/oauth/authorize/", {**query, "allow": "Authorize"})
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert "error=invalid_request" in response["Location"]
        assert "code=" not in response["Location"]
    assert not Grant.objects.filter(application=app).exists()
