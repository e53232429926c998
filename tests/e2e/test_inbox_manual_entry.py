"""End to end in Chromium: a fax that could not be read (the demo's kind: its reading kept
stopping) is claimed with "Type in", typed from its page image and created; the case keeps the
fax as its first document and the fax's arrival as its receipt time."""

import random
import re
from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from inbox import samples
from inbox.demo import fax_left_for_manual_entry
from inbox.models import InboundDocument
from intake.models import CareRequest, DocumentKind
from tests.e2e.conftest import login
from tests.factories import CoverageFactory, MemberFactory, ProviderFactory, category

S = InboundDocument.Status


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_intake_types_in_an_unreadable_fax_and_creates_the_case(
    page, intake_specialist, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    sample = samples.sample_request(
        random.Random(11), member_id="M7730042", dob=date(1958, 3, 14), today=date.today()
    )
    member = MemberFactory(
        first_name=sample.member_first, last_name=sample.member_last, birth_date=sample.member_dob
    )
    CoverageFactory(member=member, member_number=sample.member_id)
    ProviderFactory(npi=sample.requesting_npi, name=sample.requesting_name)
    ProviderFactory(npi=sample.servicing_npi, name=sample.servicing_name)
    service = sample.services[0]
    line_category = category("imaging")
    arrived = timezone.now() - timezone.timedelta(hours=5)
    document = fax_left_for_manual_entry(sample, name="fax-unreadable.tif", arrived_at=arrived)
    assert document.status == S.FAILED and document.fields.count() == 0
    assert document.pages.count() == 1

    login(page, "intake")
    page.get_by_role("link", name="Fax inbox").click()
    row = page.get_by_role("row").filter(has_text="fax-unreadable.tif")
    expect(row.get_by_text("needs manual entry")).to_be_visible()
    row.get_by_role("button", name="Type in fax-unreadable.tif by hand").click()

    expect(page.get_by_role("heading", name=re.compile(r"^Fax received"))).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Type the request from the page images")
    image = page.get_by_role("img", name="Page 1 of the fax")
    expect(image).to_be_visible()
    # The page image really loads (a broken image has no natural width); visible comes before
    # loaded on a busy machine, so wait for it.
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 1000", arg=image.element_handle()
    )
    assert CareRequest.objects.count() == 0

    # What the specialist reads off the page image.
    page.get_by_label("Member ID").fill(sample.member_id)
    page.get_by_label("Date of birth").fill(sample.member_dob.isoformat())
    page.get_by_role("button", name="Find member").click()
    expect(page.get_by_text(f"{member.first_name} {member.last_name}").first).to_be_visible()
    page.get_by_label(re.compile(sample.member_id)).check()
    page.locator("[name=requesting_provider]").fill(sample.requesting_npi)
    page.locator("[name=servicing_provider]").fill(sample.servicing_npi)
    page.locator('[name="lines-0-code_system"]').select_option(
        "hcpcs" if service.code[:1].isalpha() else "cpt"
    )
    page.locator('[name="lines-0-code"]').fill(service.code)
    page.locator('[name="lines-0-category"]').select_option(str(line_category.pk))
    page.locator('[name="lines-0-units"]').fill(str(service.units))
    page.locator('[name="lines-0-start_date"]').fill(service.start.isoformat())
    page.locator('[name="lines-0-end_date"]').fill(service.end.isoformat())
    page.locator("[name=diagnoses]").fill(", ".join(sample.diagnoses))
    page.locator("[name=priority]").select_option("standard")
    page.locator("[name=review_setting]").select_option(sample.setting)
    page.locator("[name=clinical_summary]").fill(sample.clinical_reason)
    page.get_by_role("button", name="Create request").click()

    expect(page.get_by_role("heading", name=re.compile(r"^Case UM-"))).to_be_visible()
    case = CareRequest.objects.get()
    assert (case.channel, case.received_at) == ("fax", arrived)
    assert case.member == member
    assert [(line.code, line.units) for line in case.service_lines.all()] == [
        (service.code, service.units)
    ]
    first = case.documents.order_by("uploaded_at").first()
    assert (first.kind, first.original_name) == (DocumentKind.REQUEST_FORM, "fax-unreadable.tif")
    document.refresh_from_db()
    assert (document.status, document.care_request) == (S.CONVERTED, case)
