from datetime import timedelta

import pytest
from django.utils import timezone

from intake.services.workflow import care_request_request_info

# Cases decided by a medical director, for the letters and P2P sections of the case page.
from tests.determinations.conftest import criteria_set, make_md_case, outbox_env  # noqa: F401
from tests.factories import CoverageFactory, ProviderFactory, make_case
from tests.portal.files import PDF


@pytest.fixture
def org_provider(organization):
    return ProviderFactory(organization=organization, name="Dr. Lakeside")


@pytest.fixture
def coverage(db):
    return CoverageFactory()


@pytest.fixture
def own_case(provider_user, organization, intake_specialist):
    """A submitted request of the provider user's organisation."""
    return make_case(actor=intake_specialist, organization=organization, channel="portal")


@pytest.fixture
def pended_case(own_case, intake_specialist):
    care_request_request_info(
        care_request=own_case,
        actor=intake_specialist,
        description="Send the physical therapy notes.",
        due_by=timezone.now() + timedelta(days=3),
    )
    own_case.refresh_from_db()
    return own_case


@pytest.fixture
def own_document(own_case, provider_user):
    from intake.services.documents import document_upload

    return document_upload(
        care_request=own_case,
        actor=provider_user,
        kind="clinical_notes",
        name="notes.pdf",
        data=PDF,
        channel="portal",
    )


@pytest.fixture
def imaging_checklist(db):
    from intake.models import ChecklistRequirement
    from tests.factories import category

    for kind, description in [
        ("clinical_notes", "Office notes from the last 90 days"),
        ("therapy_notes", "Record of 6 weeks of conservative therapy"),
    ]:
        ChecklistRequirement.objects.create(
            key=f"portal-imaging-{kind}",
            category=category("imaging"),
            document_kind=kind,
            description=description,
        )
