"""The members' fixtures (a member with a sign-in and their denied request, another member's) and
a registered member's app."""

import pytest
from oauth2_provider.models import Application

from tests.members.conftest import (  # noqa: F401 - fixtures reused
    approve,
    criteria_set,
    denied_case,
    deny,
    make_denied_case,
    make_md_case,
    md_case,
    member_user,
    other_case,
    reference_data,
)

REDIRECT = "https://app.example/callback"


@pytest.fixture
def app(db):
    """A member's app the manager registered (SMART public client, authorization code)."""
    return Application.objects.create(
        name="My Health Record app",
        client_type=Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=REDIRECT,
        algorithm="",
    )
