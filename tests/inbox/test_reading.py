"""Reading in the worker: fillable PDFs without OCR, OCR'd faxes, and bad input that ends with a
clear status, the file kept, and no case."""

import io
import random
import shutil

import pytest
from pypdf import PdfWriter

from inbox import extraction, samples
from inbox.models import InboundDocument
from inbox.services.processing import inbound_document_read
from inbox.services.receive import inbound_document_receive
from intake.models import CareRequest

pytestmark = pytest.mark.django_db
S = InboundDocument.Status


def receive_and_read(data: bytes, name: str = "fax.pdf", actor=None) -> InboundDocument:
    # The worker runs the reading after commit; here it is called as the task would call it.
    document = inbound_document_receive(actor=actor, name=name, data=data, source="upload")
    return inbound_document_read(document_id=document.pk)


def blank_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_fillable_pdf_is_read_from_its_fields_without_ocr(sample, on_file, monkeypatch):
    def no_ocr(image):
        raise AssertionError("OCR must not run for a fillable PDF")

    monkeypatch.setattr("inbox.ocr.ocr_words", no_ocr)
    document = receive_and_read(samples.acroform_pdf(sample))
    assert (document.status, document.read_method) == (S.READ, "acroform")
    fields = {f.name: f for f in document.fields.all()}
    expected = sample.expected()
    for name in (
        "member_id",
        "member_dob",
        "requesting_npi",
        "servicing_npi",
        "service_1_code",
        "service_1_units",
        "service_1_start",
        "diagnosis_1",
        "urgency",
        "setting",
    ):
        assert fields[name].value == expected[name], name
        assert fields[name].confidence == 100.0
    assert all(f.valid for f in fields.values()), [
        (f.name, f.validation_message) for f in fields.values() if not f.valid
    ]
    assert document.pages.count() == 1


def test_a_wrong_npi_and_an_unknown_member_fail_validation(sample, monkeypatch):
    sample.requesting_npi = sample.requesting_npi[:9] + str(
        (int(sample.requesting_npi[9]) + 1) % 10
    )
    document = receive_and_read(samples.acroform_pdf(sample))
    fields = {f.name: f for f in document.fields.all()}
    assert fields["requesting_npi"].valid is False
    assert "not a valid NPI" in fields["requesting_npi"].validation_message
    assert fields["member_id"].valid is False
    assert fields["member_id"].validation_message == (
        "No member has this member ID and date of birth."
    )
    assert fields["member_id"].needs_confirmation is True


def test_a_corrupt_pdf_fails_with_a_clear_reason_and_is_kept():
    data = b"%PDF-1.7\n" + b"\x00garbage" * 50
    document = receive_and_read(data)
    assert document.status == S.FAILED
    assert document.failure_reason == "The PDF is damaged and cannot be opened."
    with document.file.open("rb") as fh:
        assert fh.read() == data
    assert CareRequest.objects.count() == 0


def test_an_empty_file_is_kept_as_a_failed_item():
    document = receive_and_read(b"", name="empty.tif")
    assert document.status == S.FAILED
    assert (
        document.failure_reason == "The file is empty (0 bytes): ask the sender to send it again."
    )
    assert InboundDocument.objects.count() == 1
    assert CareRequest.objects.count() == 0


def test_a_200_page_fax_is_refused_with_the_limit(settings):
    settings.INBOX_MAX_PAGES = 50
    document = receive_and_read(blank_pdf(200))
    assert document.status == S.FAILED
    assert document.failure_reason == (
        "The document has 200 pages; the inbox reads at most 50. Ask the sender to split it."
    )
    assert document.pages.count() == 0
    assert CareRequest.objects.count() == 0


def test_an_encrypted_pdf_fails_with_a_clear_reason():
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    writer.encrypt(user_password="secret", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    document = receive_and_read(out.getvalue())
    assert document.status == S.FAILED
    assert document.failure_reason.startswith("The PDF is encrypted (password-protected)")
    assert CareRequest.objects.count() == 0


def test_a_file_that_is_not_a_document_fails():
    document = receive_and_read(b"hello, not a fax", name="note.txt")
    assert document.status == S.FAILED
    assert document.failure_reason == "The file is not a PDF, TIFF, PNG or JPEG."


def test_without_tesseract_reading_fails_with_one_clear_line(monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr(
        "inbox.ocr.shutil.which", lambda name: None if name == "tesseract" else real_which(name)
    )
    document = receive_and_read(blank_pdf(1))
    assert document.status == S.FAILED
    assert document.failure_reason == (
        "Tesseract is not installed: install the Debian package tesseract-ocr."
    )


def test_reading_twice_does_nothing_the_second_time(sample):
    document = receive_and_read(samples.acroform_pdf(sample))
    again = inbound_document_read(document_id=document.pk)
    assert again.status == S.READ
    assert again.fields.count() == document.fields.count()


def test_an_ocr_fax_at_200x200_reads_ids_npis_and_codes(require_tesseract, sample, on_file):
    tiff = samples.fax_tiff(samples.request_pdf(sample, "uniform"), vertical_dpi=200, seed=2)
    document = receive_and_read(tiff, name="fax.tif")
    assert (document.status, document.read_method) == (S.READ, "ocr")
    assert document.page_count == document.pages_done == 1
    fields = {f.name: f for f in document.fields.all()}
    expected = sample.expected()
    for name in ("member_id", "requesting_npi", "servicing_npi", "service_1_code", "diagnosis_1"):
        field = fields[name]
        # Exact, or else flagged: never a wrong value silently accepted.
        assert field.value == expected[name] or field.needs_confirmation, name
    assert fields["member_id"].bbox[0] < fields["member_id"].bbox[2]
    assert document.pages.get().kind == "request_form"


def test_a_cover_page_with_a_case_reference_is_recognised(require_tesseract, sample):
    sample.reference = "UM-ABCD2345"
    pdf = samples.render_pdf([samples.html_cover(sample), samples.html_notes(sample)])
    document = receive_and_read(samples.fax_tiff(pdf, seed=1), name="answer.tif")
    assert document.answers_reference == "UM-ABCD2345"
    kinds = list(document.pages.values_list("kind", "suggested_document_kind"))
    assert kinds[0][0] == "cover"
    assert kinds[1] == ("other", "clinical_notes")


def test_keyword_suggestions_for_page_kinds():
    assert extraction.suggest_document_kind("IMPRESSION: MRI findings normal") == "imaging_report"
    assert extraction.suggest_document_kind("Progress note. Assessment and plan") == (
        "clinical_notes"
    )
    assert extraction.suggest_document_kind("nothing useful") == "other"


def test_the_sample_generator_is_deterministic():
    assert samples.sample_request(random.Random(3)) == samples.sample_request(random.Random(3))
