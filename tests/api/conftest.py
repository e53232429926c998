import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import CoverageFactory, ProviderFactory, make_case


@pytest.fixture
def api_for():
    """An API client authenticated with the user's Bearer token."""

    def build(user):
        token, _ = Token.objects.get_or_create(user=user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.key}")
        return client

    return build


@pytest.fixture
def org_provider(organization):
    return ProviderFactory(organization=organization)


@pytest.fixture
def coverage(db):
    return CoverageFactory()


@pytest.fixture
def own_case(organization, intake_specialist):
    return make_case(actor=intake_specialist, organization=organization, channel="api")
