"""Uploads: the type comes from the content, the size is limited, the checksum is stored, and
the checklist item the document answers is ticked. Downloads go through an audited view."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from intake.models import ChecklistItem, Document, DocumentKind
from intake.services.documents import document_upload
from tests.factories import make_case
from tests.intake.conftest import JPEG_BYTES, PDF_BYTES, PNG_BYTES, TEXT_BYTES, TIFF_BYTES
from um_portal.audit.models import AccessLog, AuditEvent
from um_portal.lib.errors import ValidationFailed


def upload(case, actor, *, name="notes.pdf", data=PDF_BYTES, kind=DocumentKind.CLINICAL_NOTES):
    return document_upload(
        care_request=case, actor=actor, kind=kind, name=name, data=data, channel="fax"
    )


@pytest.fixture
def case_with_checklist(intake_specialist, organization, imaging_checklist):
    return make_case(actor=intake_specialist, organization=organization)


@pytest.mark.django_db
def test_pdf_is_stored_with_sniffed_type_size_and_checksum(received_case, intake_specialist):
    document = upload(received_case, intake_specialist)
    document.refresh_from_db()
    assert document.content_type == "application/pdf"
    assert document.size == len(PDF_BYTES)
    assert document.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert document.original_name == "notes.pdf"
    assert document.uploaded_by == intake_specialist
    with document.file.open("rb") as stored:
        assert stored.read() == PDF_BYTES
    # The stored path names the case and a random file name, never the uploaded name.
    assert document.file.name.startswith(f"cases/{received_case.pk}/")
    assert "notes" not in document.file.name


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "content_type"),
    [(PNG_BYTES, "image/png"), (JPEG_BYTES, "image/jpeg"), (TIFF_BYTES, "image/tiff")],
)
def test_images_are_accepted(received_case, intake_specialist, data, content_type):
    assert upload(received_case, intake_specialist, name="scan", data=data).content_type == (
        content_type
    )


@pytest.mark.django_db
def test_png_named_pdf_is_stored_as_png(received_case, intake_specialist):
    document = upload(received_case, intake_specialist, name="report.pdf", data=PNG_BYTES)
    assert document.content_type == "image/png"


@pytest.mark.django_db
def test_text_file_renamed_pdf_is_refused_and_nothing_is_stored(
    received_case, intake_specialist, settings
):
    with pytest.raises(ValidationFailed) as excinfo:
        upload(received_case, intake_specialist, name="notes.pdf", data=TEXT_BYTES)
    assert excinfo.value.field_errors == {
        "file": ["notes.pdf is not a PDF, PNG, JPEG or TIFF file."]
    }
    assert not Document.objects.exists()
    assert not AuditEvent.objects.filter(action="document.uploaded").exists()
    assert not (settings.MEDIA_ROOT / "cases").exists()


@pytest.mark.django_db
def test_empty_file_is_refused(received_case, intake_specialist):
    with pytest.raises(ValidationFailed) as excinfo:
        upload(received_case, intake_specialist, data=b"")
    assert excinfo.value.field_errors == {"file": ["The file is empty."]}
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_file_over_the_size_limit_is_refused(received_case, intake_specialist, settings):
    settings.MAX_UPLOAD_BYTES = 64
    with pytest.raises(ValidationFailed) as excinfo:
        upload(received_case, intake_specialist, data=PDF_BYTES + b"x" * 64)
    assert excinfo.value.field_errors == {"file": ["The file is larger than 64\xa0bytes."]}
    assert not Document.objects.exists()
    # Exactly at the limit is fine.
    assert upload(received_case, intake_specialist, data=PDF_BYTES[:64]).size == 64


@pytest.mark.django_db
def test_upload_ticks_the_missing_checklist_item(case_with_checklist, intake_specialist):
    items = {i.document_kind: i for i in case_with_checklist.checklist_items.all()}
    assert set(items) == {DocumentKind.CLINICAL_NOTES, DocumentKind.ORDER}
    assert items[DocumentKind.CLINICAL_NOTES].is_missing

    document = upload(case_with_checklist, intake_specialist, kind=DocumentKind.CLINICAL_NOTES)

    notes = ChecklistItem.objects.get(pk=items[DocumentKind.CLINICAL_NOTES].pk)
    order = ChecklistItem.objects.get(pk=items[DocumentKind.ORDER].pk)
    assert notes.document == document
    assert not notes.is_missing
    assert order.document is None


# --- through the case page ------------------------------------------------------------------


def post_upload(client, case, *, name="notes.pdf", data=PDF_BYTES, kind="clinical_notes"):
    return client.post(
        reverse("intake:document_add", args=[case.pk]),
        {"kind": kind, "file": SimpleUploadedFile(name, data, content_type="application/pdf")},
    )


@pytest.mark.django_db
def test_upload_view_stores_and_redirects(client_for, intake_specialist, case_with_checklist):
    response = post_upload(client_for(intake_specialist), case_with_checklist)
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:case", args=[case_with_checklist.pk])
    document = Document.objects.get()
    assert document.care_request == case_with_checklist
    assert not case_with_checklist.checklist_items.filter(
        required=True, document__isnull=True
    ).exists()


@pytest.mark.django_db
def test_upload_view_shows_the_refusal_next_to_the_file_field(
    client_for, intake_specialist, received_case
):
    response = post_upload(client_for(intake_specialist), received_case, data=TEXT_BYTES)
    assert response.status_code == 400
    form = response.context["upload_form"]
    assert form.errors == {"file": ["notes.pdf is not a PDF, PNG, JPEG or TIFF file."]}
    assert "notes.pdf is not a PDF, PNG, JPEG or TIFF file." in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_upload_view_refuses_an_empty_file_with_the_service_message(
    client_for, intake_specialist, received_case
):
    response = post_upload(client_for(intake_specialist), received_case, data=b"")
    assert response.status_code == 400
    assert response.context["upload_form"].errors == {"file": ["The file is empty."]}


@pytest.mark.django_db
def test_upload_view_refuses_a_file_over_the_limit(
    client_for, intake_specialist, received_case, settings
):
    settings.MAX_UPLOAD_BYTES = 64
    response = post_upload(client_for(intake_specialist), received_case, data=PDF_BYTES * 3)
    assert response.status_code == 400
    assert response.context["upload_form"].errors == {
        "file": ["The file is larger than 64\xa0bytes."]
    }
    assert not Document.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["manager", "nurse", "director", "provider", "outsider"])
def test_only_intake_may_upload(client_for, personas, received_case, persona):
    response = post_upload(client_for(personas[persona]), received_case)
    assert response.status_code == 403
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_download_streams_the_file_with_its_sniffed_type_and_is_logged(
    client_for, intake_specialist, received_case
):
    document = upload(received_case, intake_specialist, name="report.pdf", data=PNG_BYTES)
    response = client_for(intake_specialist).get(
        reverse("intake:document", args=[received_case.pk, document.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PNG_BYTES
    log = AccessLog.objects.get(action="download")
    assert (log.user, log.case_id, log.object_id) == (
        intake_specialist,
        received_case.pk,
        str(document.pk),
    )


@pytest.mark.django_db
def test_download_as_attachment(client_for, intake_specialist, received_case):
    document = upload(received_case, intake_specialist, name="notes.pdf")
    response = client_for(intake_specialist).get(
        reverse("intake:document", args=[received_case.pk, document.pk]) + "?download=1"
    )
    assert response["Content-Disposition"] == 'attachment; filename="notes.pdf"'


@pytest.mark.django_db
def test_download_of_another_cases_document_is_404(
    client_for, intake_specialist, received_case, organization
):
    other = make_case(actor=intake_specialist, organization=organization)
    document = upload(other, intake_specialist)
    response = client_for(intake_specialist).get(
        reverse("intake:document", args=[received_case.pk, document.pk])
    )
    assert response.status_code == 404
    assert not AccessLog.objects.filter(action="download").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["nurse", "director", "provider", "outsider"])
def test_download_refused_outside_intake(
    client_for, personas, intake_specialist, received_case, persona
):
    document = upload(received_case, intake_specialist)
    response = client_for(personas[persona]).get(
        reverse("intake:document", args=[received_case.pk, document.pk])
    )
    assert response.status_code == 403
    assert not AccessLog.objects.exists()


@pytest.mark.django_db
def test_media_files_have_no_public_url(client, intake_specialist, received_case):
    document = upload(received_case, intake_specialist)
    client.force_login(intake_specialist)
    assert client.get("/media/" + document.file.name).status_code == 404
    assert client.get(document.file.url).status_code == 404


@pytest.mark.django_db
def test_download_of_a_missing_file_is_404_and_not_logged(
    client_for, intake_specialist, received_case
):
    document = upload(received_case, intake_specialist)
    document.file.storage.delete(document.file.name)
    response = client_for(intake_specialist).get(
        reverse("intake:document", args=[received_case.pk, document.pk])
    )
    assert response.status_code == 404
    assert not AccessLog.objects.filter(action="download").exists()


def test_an_upload_is_read_one_byte_past_the_limit_at_most(settings):
    """Every upload path (intake page, API, portal) reads through upload_bytes, so a huge file
    is refused without being held in memory whole."""
    import io

    from intake.services.documents import upload_bytes

    settings.MAX_UPLOAD_BYTES = 10
    assert upload_bytes(io.BytesIO(b"x" * 1000)) == b"x" * 11
    assert upload_bytes(io.BytesIO(b"small")) == b"small"
