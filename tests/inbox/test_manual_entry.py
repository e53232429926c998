"""A fax that could not be read ("needs manual entry") is typed in on the same review screen, from
its page images, and becomes a case like a read one: the fax first, its arrival the receipt."""

import pytest
from django.urls import reverse
from django.utils import timezone

from inbox import ocr, samples
from inbox.models import InboundDocument
from inbox.services.claim import inbound_document_claim, inbound_document_release
from inbox.services.processing import inbound_document_read
from inbox.services.receive import inbound_document_receive
from inbox.views.prefill import guess_category
from intake.models import CareRequest, DocumentKind

pytestmark = pytest.mark.django_db
S = InboundDocument.Status
TIMEOUT = "A page took too long to read."


@pytest.fixture
def failed_fax(sample, on_file, monkeypatch):
    """A two-page fax whose OCR gives up on the first page (Tesseract's time limit)."""

    def too_slow(image):
        raise ocr.BadInput(TIMEOUT)

    monkeypatch.setattr(ocr, "tesseract_check", lambda: None)
    monkeypatch.setattr(ocr, "ocr_words", too_slow)
    pdf = samples.request_pdf(sample, "simple", notes=True)
    document = inbound_document_receive(
        actor=None,
        name="unreadable.tif",
        data=samples.fax_tiff(pdf, seed=3),
        source="folder",
        arrived_at=timezone.now() - timezone.timedelta(hours=3),
    )
    return inbound_document_read(document_id=document.pk)


def typed_request(sample, on_file) -> dict:
    """What the specialist types from the page image."""
    service = sample.services[0]
    return {
        "member_number": sample.member_id,
        "birth_date": sample.member_dob.isoformat(),
        "coverage": str(on_file["coverage"].pk),
        "channel": "fax",
        "priority": "standard",
        "request_type": "prospective",
        "review_setting": sample.setting,
        "requesting_provider": sample.requesting_npi,
        "servicing_provider": sample.servicing_npi,
        "diagnoses": ", ".join(sample.diagnoses),
        "clinical_summary": sample.clinical_reason,
        "lines-TOTAL_FORMS": "1",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "1000",
        "lines-0-code_system": "hcpcs" if service.code[:1].isalpha() else "cpt",
        "lines-0-code": service.code,
        "lines-0-category": str(guess_category(service.code).pk),
        "lines-0-units": str(service.units),
        "lines-0-start_date": service.start.isoformat(),
        "lines-0-end_date": service.end.isoformat(),
    }


def test_a_fax_the_ocr_fails_on_keeps_its_page_images(failed_fax):
    assert failed_fax.status == S.FAILED
    assert failed_fax.failure_reason == TIMEOUT
    pages = list(failed_fax.pages.all())
    assert [p.number for p in pages] == [1]  # the reading stopped on page 1; its image is kept
    assert pages[0].image and pages[0].width == 1700
    assert failed_fax.fields.count() == 0


def test_a_failed_fax_is_typed_in_on_the_review_screen_and_becomes_the_case(
    client_for, intake_specialist, failed_fax, sample, on_file
):
    client = client_for(intake_specialist)
    listing = client.get(reverse("inbox:list")).content.decode()
    assert f'action="{reverse("inbox:claim", args=[failed_fax.pk])}"' in listing
    assert ">Type in</button>" in listing

    response = client.post(reverse("inbox:claim", args=[failed_fax.pk]))
    assert response.url == reverse("inbox:review", args=[failed_fax.pk])
    failed_fax.refresh_from_db()
    assert (failed_fax.status, failed_fax.claimed_by) == (S.CLAIMED, intake_specialist)

    page = client.get(reverse("inbox:review", args=[failed_fax.pk]))
    html = page.content.decode()
    assert page.context["mine"] is True
    assert reverse("inbox:page", args=[failed_fax.pk, 1]) in html
    assert TIMEOUT in html and "Type the request from the page images" in html
    assert page.context["lookup"].is_bound is False  # empty, not a wall of "required"
    assert page.context["form"] is None  # the member comes first, as for a read fax

    found = client.get(
        reverse("inbox:review", args=[failed_fax.pk]),
        {"member_number": sample.member_id, "birth_date": sample.member_dob.isoformat()},
    )
    form = found.context["form"]
    assert found.context["member"] == on_file["coverage"].member
    assert form["requesting_provider"].value() in ("", None)
    assert form["clinical_summary"].value() in ("", None)
    assert found.context["flagged"] == []

    response = client.post(
        reverse("inbox:create", args=[failed_fax.pk]), typed_request(sample, on_file)
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    case = CareRequest.objects.get()
    assert response.url == reverse("intake:case", args=[case.pk])
    assert (case.channel, case.received_at) == ("fax", failed_fax.arrived_at)
    assert case.requesting_provider == on_file["requesting"]
    assert [line.code for line in case.service_lines.all()] == [sample.services[0].code]
    first = case.documents.order_by("uploaded_at").first()
    assert (first.kind, first.original_name) == (DocumentKind.REQUEST_FORM, "unreadable.tif")
    with failed_fax.file.open("rb") as fh:
        assert first.size == len(fh.read())
    failed_fax.refresh_from_db()
    assert (failed_fax.status, failed_fax.care_request) == (S.CONVERTED, case)


def test_a_failed_fax_put_back_is_failed_again_with_its_reason(
    intake_specialist, other_specialist, failed_fax
):
    inbound_document_claim(document=failed_fax, actor=intake_specialist)
    inbound_document_release(document=failed_fax, actor=intake_specialist)
    failed_fax.refresh_from_db()
    assert (failed_fax.status, failed_fax.failure_reason) == (S.FAILED, TIMEOUT)
    assert failed_fax.claimed_by is None
    # ... and the next specialist can take it.
    inbound_document_claim(document=failed_fax, actor=other_specialist)
    failed_fax.refresh_from_db()
    assert (failed_fax.status, failed_fax.claimed_by) == (S.CLAIMED, other_specialist)


def test_a_failed_fax_is_not_a_case_until_create_is_pressed(
    client_for, intake_specialist, failed_fax, sample, on_file
):
    client = client_for(intake_specialist)
    client.post(reverse("inbox:claim", args=[failed_fax.pk]))
    data = typed_request(sample, on_file)
    del data["lines-0-code"]  # a required value left out
    response = client.post(reverse("inbox:create", args=[failed_fax.pk]), data)
    assert response.status_code == 400
    assert CareRequest.objects.count() == 0
    failed_fax.refresh_from_db()
    assert failed_fax.status == S.CLAIMED
