"""Inbox fixtures: a fax gateway account, records that match the synthetic faxes, and the rule
for tests that need Tesseract (skip with a reason; under CI=true its absence is a failure)."""

import io
import random
import shutil
from datetime import date

import pytest
from django.contrib.auth.models import Group
from PIL import Image

from inbox import samples
from inbox.permissions import FAX_GATEWAY
from tests.conftest import require
from tests.factories import CoverageFactory, MemberFactory, ProviderFactory, UserFactory


@pytest.fixture
def require_tesseract():
    require(shutil.which("tesseract") is not None, "Tesseract is not installed (tesseract-ocr)")


@pytest.fixture
def fax_gateway(db):
    user = UserFactory(username="faxgateway")
    user.groups.add(Group.objects.get(name=FAX_GATEWAY))
    return user


@pytest.fixture
def other_specialist(db):
    from um_portal.accounts.roles import Role

    return UserFactory(username="intake2", roles=[Role.INTAKE])


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def blank_png() -> bytes:
    out = io.BytesIO()
    Image.new("L", (200, 100), 255).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def sample():
    return samples.sample_request(
        random.Random(11), member_id="M2024001", dob=date(1961, 5, 2), today=date.today()
    )


@pytest.fixture
def on_file(sample):
    """The member and providers the sample fax names, as our records."""
    member = MemberFactory(
        first_name=sample.member_first, last_name=sample.member_last, birth_date=sample.member_dob
    )
    coverage = CoverageFactory(member=member, member_number=sample.member_id)
    requesting = ProviderFactory(npi=sample.requesting_npi, name=sample.requesting_name)
    servicing = ProviderFactory(npi=sample.servicing_npi, name=sample.servicing_name)
    return {"coverage": coverage, "requesting": requesting, "servicing": servicing}
