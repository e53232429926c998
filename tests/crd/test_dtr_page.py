"""The portal's DTR page: a provider answers a questionnaire for a draft and the answers are
attached to it as a PDF document; another organisation's drafts are never offered."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from intake.models import CareRequest, Document
from tests.factories import make_case
from um_portal.audit.models import AccessLog

pytestmark = pytest.mark.django_db
URL = "/portal/dtr/"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def draft(provider_user, organization):
    return make_case(
        actor=provider_user,
        organization=organization,
        submit=False,
        channel=CareRequest.Channel.PORTAL,
    )


def test_page_prefills_diagnoses_from_the_draft_and_logs_the_read(
    client_for, provider_user, draft, rules
):
    client = client_for(provider_user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, {"case": draft.pk, "questionnaire": "criteria-lumbar-spine-mri"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="q-diagnoses" value="M54.16"' in html
    assert "MRI of the lumbar spine" in html
    assert AccessLog.objects.filter(case_id=draft.pk, action="dtr_view").count() == 1
    assert len(queries) == 16


def test_answers_are_attached_to_the_draft_as_a_pdf(client_for, provider_user, draft, rules):
    client = client_for(provider_user)
    response = client.post(
        URL,
        {
            "case": draft.pk,
            "questionnaire": "checklist-imaging-therapy-notes",
            "q-document-summary": "Six weeks of physical therapy, no improvement.",
        },
    )
    assert response.status_code == 302
    [document] = Document.objects.filter(care_request=draft)
    assert (document.kind, document.original_name) == (
        "therapy_notes",
        "dtr-checklist-imaging-therapy-notes.pdf",
    )


def test_another_organisations_draft_is_not_offered(client_for, outsider, draft, rules):
    response = client_for(outsider).get(
        URL, {"case": draft.pk, "questionnaire": "criteria-lumbar-spine-mri"}
    )
    assert response.status_code == 200
    assert draft.reference not in response.content.decode()
    assert 'name="q-diagnoses"' not in response.content.decode()
    assert not AccessLog.objects.filter(case_id=draft.pk).exists()


def test_staff_cannot_use_the_dtr_page(client_for, nurse):
    assert client_for(nurse).get(URL).status_code == 403
