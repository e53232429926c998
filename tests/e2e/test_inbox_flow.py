"""End to end in Chromium: intake opens a read fax from the inbox, sees the region of a focused
field highlighted on the page image, confirms the flagged value and creates the case."""

import random
import re
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from inbox import samples
from inbox.models import ExtractedField, InboundDocument
from inbox.services.processing import inbound_document_read
from inbox.services.receive import inbound_document_receive
from intake.models import CareRequest
from tests.e2e.conftest import login
from tests.factories import CoverageFactory, MemberFactory, ProviderFactory


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_intake_confirms_a_read_fax_and_creates_the_case(
    page, intake_specialist, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    sample = samples.sample_request(
        random.Random(4), member_id="M5550001", dob=date(1970, 1, 9), today=date.today()
    )
    member = MemberFactory(
        first_name=sample.member_first, last_name=sample.member_last, birth_date=sample.member_dob
    )
    CoverageFactory(member=member, member_number=sample.member_id)
    ProviderFactory(npi=sample.requesting_npi, name=sample.requesting_name)
    ProviderFactory(npi=sample.servicing_npi, name=sample.servicing_name)
    arrived = timezone.now() - timezone.timedelta(hours=2)
    document = inbound_document_receive(
        actor=None,
        name="fax.pdf",
        data=samples.acroform_pdf(sample),
        source="folder",
        arrived_at=arrived,
    )
    document = inbound_document_read(document_id=document.pk)
    # As OCR would leave it: a region on the page, and one value read with low confidence.
    ExtractedField.objects.filter(document=document, name="requesting_npi").update(
        bbox=[0.1, 0.2, 0.45, 0.24], confidence=55.0
    )

    login(page, "intake")
    page.get_by_role("link", name="Fax inbox").click()
    expect(page.get_by_role("heading", name="Fax inbox")).to_be_visible()
    page.get_by_role("button", name="Open").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Fax received"))).to_be_visible()
    expect(page.get_by_text(member.first_name + " " + member.last_name).first).to_be_visible()

    highlight = page.locator(".inbox-highlight")
    expect(highlight).to_be_hidden()
    page.locator("[name=requesting_provider]").focus()
    expect(highlight).to_be_visible()
    expect(highlight).to_have_attribute("data-showing", "requesting_npi")

    page.get_by_role("button", name="Create request").click()
    expect(page.get_by_text(re.compile("Confirm the marked fields"))).to_be_visible()
    assert CareRequest.objects.count() == 0

    page.get_by_role("checkbox", name=re.compile("Requesting provider NPI")).check()
    page.get_by_role("button", name="Create request").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Case UM-"))).to_be_visible()
    case = CareRequest.objects.get()
    assert case.received_at == arrived
    assert case.documents.order_by("uploaded_at").first().original_name == "fax.pdf"
    assert InboundDocument.objects.get().status == InboundDocument.Status.CONVERTED
