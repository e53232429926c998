"""Hostile input (issue 15): deeply nested JSON answers 400 before it is parsed, an oversized
FHIR body an OperationOutcome, documents from outside parties are downloads (never shown
inline), and PDFs with JavaScript or launch actions are refused at upload."""

import json
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from intake.services.documents import document_upload
from tests.api.conftest import api_for  # noqa: F401 - fixture
from tests.factories import make_case
from tests.portal.files import PDF
from um_portal.lib.errors import ValidationFailed
from um_portal.lib.parsers import MAX_JSON_DEPTH, json_depth, json_too_deep
from um_portal.lib.pdfscan import pdf_active_content

NESTED = b"[" * 5000


@pytest.fixture
def token_client(provider_user):
    token, _ = Token.objects.get_or_create(user=provider_user)
    client = Client(raise_request_exception=False)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token.key}"
    return client


def test_json_depth_skips_brackets_inside_strings():
    assert json_depth(b'{"a": [1, {"b": "[[[[{{{{"}], "c": "\\"[["}') == 3
    assert json_depth(b"[]") == 1
    assert json_too_deep(b"[" * (MAX_JSON_DEPTH + 1)) is True
    assert json_too_deep(json.dumps({"a": [[["x" * 100]]]}).encode()) is False


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/fhir/Claim/$submit", "/fhir/Claim/$inquire"])
@pytest.mark.parametrize("content_type", ["application/fhir+json", "application/json"])
def test_deeply_nested_json_on_fhir_answers_an_operation_outcome_400(
    token_client, path, content_type
):
    response = token_client.post(path, data=NESTED, content_type=content_type)
    assert response.status_code == 400
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    assert body["issue"][0]["code"] == "structure"
    assert f"deeper than {MAX_JSON_DEPTH} levels" in body["issue"][0]["diagnostics"]


@pytest.mark.django_db
def test_deeply_nested_json_on_the_api_answers_400(token_client):
    response = token_client.post(
        "/api/v1/care-requests/", data=NESTED, content_type="application/json"
    )
    assert response.status_code == 400
    assert "deeper than" in json.dumps(response.json())


@pytest.mark.django_db
def test_an_oversized_fhir_body_answers_an_operation_outcome_413(token_client, settings):
    body = b'{"resourceType": "Bundle", "x": "' + b"x" * (10 * 1024 * 1024) + b'"}'
    response = token_client.post(
        "/fhir/Claim/$submit", data=body, content_type="application/fhir+json"
    )
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/fhir+json")
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["code"] == "too-costly"


def _pdf(body: bytes) -> bytes:
    return b"%PDF-1.7\n" + body + b"\ntrailer << /Root 1 0 R >>\n%%EOF\n"


JS_OPEN_ACTION = _pdf(
    b"1 0 obj << /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >> endobj"
)
LAUNCH = _pdf(b"1 0 obj << /Type /Catalog /OpenAction << /S /Launch /F (cmd.exe) >> >> endobj")
ESCAPED_NAME = _pdf(b"1 0 obj << /Type /Catalog /Names << /J#61vaScript 2 0 R >> >> endobj")
_hidden = zlib.compress(b"2 0 << /S /JavaScript /JS (this.print()) >>")
IN_OBJECT_STREAM = _pdf(
    b"3 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n"
    % len(_hidden)
    + _hidden
    + b"\nendstream\nendobj"
)
FIT_OPEN_ACTION = _pdf(b"1 0 obj << /Type /Catalog /OpenAction [3 0 R /Fit] >> endobj")


def test_the_scanner_finds_javascript_and_launch_actions_however_written():
    assert pdf_active_content(JS_OPEN_ACTION) == ["JavaScript"]
    assert pdf_active_content(LAUNCH) == ["Launch"]
    assert pdf_active_content(ESCAPED_NAME) == ["JavaScript"]
    assert pdf_active_content(IN_OBJECT_STREAM) == ["JavaScript"]
    assert pdf_active_content(FIT_OPEN_ACTION) == []
    assert pdf_active_content(PDF) == []


@pytest.mark.django_db
@pytest.mark.parametrize("data", [JS_OPEN_ACTION, LAUNCH, IN_OBJECT_STREAM])
def test_a_pdf_with_active_content_is_refused_with_a_clear_message(
    api_for,  # noqa: F811
    provider_user,
    organization,
    intake_specialist,
    data,
):
    case = make_case(actor=intake_specialist, organization=organization, channel="portal")
    url = f"/api/v1/care-requests/{case.pk}/documents/"
    upload = SimpleUploadedFile("notes.pdf", data, content_type="application/pdf")
    response = api_for(provider_user).post(
        url, {"kind": "clinical_notes", "file": upload}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["file"] == [
        "notes.pdf contains JavaScript or an action that starts a program, which we do not "
        "accept in documents. Print it to a new PDF (or scan it) and upload that."
    ]
    assert case.documents.count() == 0
    with pytest.raises(ValidationFailed):
        document_upload(
            care_request=case,
            actor=intake_specialist,
            kind="other",
            name="x.pdf",
            data=data,
            channel="fax",
        )


@pytest.mark.django_db
def test_documents_from_outside_parties_are_served_as_attachments(
    client_for, intake_specialist, provider_user, organization, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    case = make_case(actor=intake_specialist, organization=organization, channel="portal")
    from_portal = document_upload(
        care_request=case,
        actor=provider_user,
        kind="other",
        name="a.pdf",
        data=PDF,
        channel="portal",
    )
    scanned = document_upload(
        care_request=case,
        actor=intake_specialist,
        kind="other",
        name="b.pdf",
        data=PDF,
        channel="fax",
    )
    client = client_for(intake_specialist)

    def disposition(document):
        url = reverse("intake:document", args=[case.pk, document.pk])
        return client.get(url)["Content-Disposition"]

    assert disposition(from_portal) == 'attachment; filename="a.pdf"'
    assert disposition(scanned) == 'inline; filename="b.pdf"'
