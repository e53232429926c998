"""A provider manages their own API token from the portal; the token then works on the API and
sees only the organisation's requests. Every issue and revocation is audited."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory
from um_portal.audit.models import AuditEvent

PAGE = "portal:api_access"


def _api(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.mark.django_db
def test_create_shows_the_key_once_and_it_works_on_the_api(
    client_for, provider_user, own_case, outsider, intake_specialist, other_organization
):
    from tests.factories import make_case

    theirs = make_case(actor=intake_specialist, organization=other_organization)
    client = client_for(provider_user)
    assert "You have no token." in client.get(reverse(PAGE)).content.decode()

    response = client.post(reverse("portal:api_token_create"))
    key = Token.objects.get(user=provider_user).key
    assert key in response.content.decode()
    later = client.get(reverse(PAGE)).content.decode()
    assert key not in later
    assert f"…{key[-4:]}" in later

    listed = _api(key).get("/api/v1/care-requests/").json()["results"]
    assert [row["id"] for row in listed] == [str(own_case.pk)]
    assert _api(key).get(f"/api/v1/care-requests/{theirs.pk}/").status_code == 404
    assert AuditEvent.objects.filter(action="api_token.issued", actor=provider_user).count() == 1


@pytest.mark.django_db
def test_replace_and_revoke_stop_the_old_key_at_once(client_for, provider_user):
    client = client_for(provider_user)
    client.post(reverse("portal:api_token_create"))
    old = Token.objects.get(user=provider_user).key

    client.post(reverse("portal:api_token_create"), {"rotate": "1"})
    new = Token.objects.get(user=provider_user).key
    assert new != old
    assert _api(old).get("/api/v1/care-requests/").status_code == 401
    assert _api(new).get("/api/v1/care-requests/").status_code == 200

    response = client.post(reverse("portal:api_token_revoke"))
    assert response.status_code == 302
    assert not Token.objects.filter(user=provider_user).exists()
    assert _api(new).get("/api/v1/care-requests/").status_code == 401
    actions = list(
        AuditEvent.objects.filter(action__startswith="api_token.")
        .order_by("at")
        .values_list("action", flat=True)
    )
    assert actions == ["api_token.issued", "api_token.replaced", "api_token.revoked"]


@pytest.mark.django_db
def test_creating_again_without_rotate_keeps_the_same_token(client_for, provider_user):
    client = client_for(provider_user)
    client.post(reverse("portal:api_token_create"))
    key = Token.objects.get(user=provider_user).key
    client.post(reverse("portal:api_token_create"))
    assert Token.objects.get(user=provider_user).key == key


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["api_token_create", "api_token_revoke"])
def test_token_changes_are_post_only(client_for, provider_user, name):
    assert client_for(provider_user).get(reverse(f"portal:{name}")).status_code == 405


@pytest.mark.django_db
def test_staff_cannot_use_the_portal_page(client_for, nurse):
    assert client_for(nurse).get(reverse(PAGE)).status_code == 403
    assert client_for(nurse).post(reverse("portal:api_token_create")).status_code == 403
    assert not Token.objects.exists()


@pytest.mark.django_db
def test_the_command_refuses_an_account_without_an_api_role(db):
    UserFactory(username="nobody", roles=[])
    with pytest.raises(CommandError, match="no role that may use the API"):
        call_command("issue_api_token", "nobody")
    assert not Token.objects.exists()
