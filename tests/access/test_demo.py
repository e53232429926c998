"""The demo registers the practice's backend client and attributes its members, one opted out;
running it twice adds nothing."""

import pytest

from access.demo import seed_access
from access.models import Attribution, BackendClient
from members.models import DataSharingChoice
from tests.factories import CoverageFactory, make_case

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent(settings, tmp_path, organization, intake_specialist):
    settings.VAR_DIR = tmp_path
    for _ in range(2):
        make_case(actor=intake_specialist, coverage=CoverageFactory(), organization=organization)
    lines = []
    seed_access(orgs={"lakeside": organization}, log=lines.append)
    seed_access(orgs={"lakeside": organization}, log=lines.append)
    client = BackendClient.objects.get()
    assert client.organization == organization
    assert client.jwks["keys"][0]["kid"] == "demo-provider-key"
    assert (tmp_path / "demo" / "provider-access-key.pem").exists()
    assert Attribution.objects.count() == 2
    assert DataSharingChoice.objects.filter(provider_access_opted_out=True).count() == 1
    assert "2 members attributed, one opted out" in lines[-1]
