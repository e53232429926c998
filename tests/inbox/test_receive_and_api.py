"""Receiving documents: upload (many at once), the REST API (202, then status and fields), and
who may deliver."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from inbox.models import InboundDocument
from intake.models import CareRequest
from um_portal.audit.models import AccessLog

from .conftest import blank_png

pytestmark = pytest.mark.django_db


def test_upload_takes_several_files_at_once_and_reads_them_in_the_worker(
    client_for, intake_specialist, require_tesseract, django_capture_on_commit_callbacks
):
    files = [
        SimpleUploadedFile("a.png", blank_png(), content_type="image/png"),
        SimpleUploadedFile("b.png", blank_png(), content_type="image/png"),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(intake_specialist).post(reverse("inbox:upload"), {"files": files})
    assert response.status_code == 302
    documents = list(InboundDocument.objects.order_by("original_name"))
    assert [d.original_name for d in documents] == ["a.png", "b.png"]
    assert [d.source for d in documents] == ["upload", "upload"]
    # Eager Celery in tests: the task ran after commit, not inside the request's transaction.
    assert [d.status for d in documents] == ["read", "read"]
    assert [d.page_count for d in documents] == [1, 1]
    assert all(d.received_by == intake_specialist for d in documents)


def test_nurse_cannot_open_the_inbox(client_for, nurse):
    assert client_for(nurse).get(reverse("inbox:list")).status_code == 403


def test_api_accepts_a_fax_with_202_and_answers_its_status_and_fields(
    fax_gateway, on_file, sample, django_capture_on_commit_callbacks
):
    from inbox import samples

    api = APIClient()
    api.force_authenticate(fax_gateway)
    pdf = samples.acroform_pdf(sample)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/inbound-documents/",
            {"file": SimpleUploadedFile("fax.pdf", pdf, content_type="application/pdf")},
            format="multipart",
        )
    assert response.status_code == 202
    assert set(response.json()) == {"id", "status"}
    document = InboundDocument.objects.get(pk=response.json()["id"])
    assert document.source == "api"
    detail = api.get(f"/api/v1/inbound-documents/{document.pk}/")
    assert detail.status_code == 200
    body = detail.json()
    assert body["status"] == "read"
    fields = {f["name"]: f for f in body["fields"]}
    assert fields["member_id"]["value"] == "M2024001"
    assert fields["member_id"]["valid"] is True
    assert fields["member_id"]["confidence"] == 100.0
    assert fields["requesting_npi"]["value"] == sample.requesting_npi
    assert AccessLog.objects.filter(case_id=document.pk, action="inbox_api_read").count() == 1
    assert CareRequest.objects.count() == 0


def test_api_without_a_file_answers_400_and_stores_nothing(fax_gateway):
    api = APIClient()
    api.force_authenticate(fax_gateway)
    response = api.post("/api/v1/inbound-documents/", {}, format="multipart")
    assert response.status_code == 400
    assert InboundDocument.objects.count() == 0


@pytest.mark.parametrize("persona", ["nurse", "provider"])
def test_api_refuses_accounts_that_are_not_intake_or_a_fax_gateway(personas, persona):
    api = APIClient()
    api.force_authenticate(personas[persona])
    response = api.post(
        "/api/v1/inbound-documents/",
        {"file": SimpleUploadedFile("fax.png", blank_png(), content_type="image/png")},
        format="multipart",
    )
    assert response.status_code == 403
    assert InboundDocument.objects.count() == 0


def test_a_fax_gateway_sees_only_what_it_delivered(fax_gateway, intake_specialist):
    from inbox.services.receive import inbound_document_receive

    theirs = inbound_document_receive(actor=intake_specialist, name="x", data=b"", source="upload")
    api = APIClient()
    api.force_authenticate(fax_gateway)
    assert api.get(f"/api/v1/inbound-documents/{theirs.pk}/").status_code == 404


def test_schema_describes_the_inbox_endpoints(client):
    schema = client.get("/api/schema/?format=json").json()
    assert "/api/v1/inbound-documents/" in schema["paths"]
    assert "/api/v1/inbound-documents/{document_id}/" in schema["paths"]
    detail = schema["paths"]["/api/v1/inbound-documents/{document_id}/"]["get"]
    properties = detail["responses"]["200"]["content"]["application/json"]["schema"]["properties"]
    assert {"status", "fields"} <= set(properties)
    assert "202" in schema["paths"]["/api/v1/inbound-documents/"]["post"]["responses"]
