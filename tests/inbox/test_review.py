"""The review screen: the read fax beside intake's form; nothing is a case until "Create request";
the case keeps the fax first and its arrival time as the receipt time."""

import pytest
from django.urls import reverse
from django.utils import timezone

from inbox import samples
from inbox.models import InboundDocument
from inbox.services.claim import inbound_document_claim
from inbox.services.processing import inbound_document_read
from inbox.services.receive import inbound_document_receive
from intake.models import CareRequest, DocumentKind
from tests.factories import make_case
from um_portal.audit.models import AccessLog

pytestmark = pytest.mark.django_db
S = InboundDocument.Status


@pytest.fixture
def read_fax(sample, on_file):
    arrived = timezone.now() - timezone.timedelta(hours=5)
    document = inbound_document_receive(
        actor=None,
        name="fax.pdf",
        data=samples.acroform_pdf(sample),
        source="folder",
        arrived_at=arrived,
    )
    return inbound_document_read(document_id=document.pk)


def form_data(response) -> dict:
    """What the browser would post: every pre-filled input of the entry form as rendered."""
    form = response.context["form"]
    lines = response.context["lines"]
    lookup = response.context["lookup"]
    data = {
        "member_number": lookup["member_number"].value(),
        "birth_date": str(lookup["birth_date"].value()),
        "coverage": str(form["coverage"].value()),
        "channel": "fax",
    }
    for name in (
        "priority",
        "request_type",
        "review_setting",
        "requesting_provider",
        "servicing_provider",
        "diagnoses",
        "clinical_summary",
    ):
        data[name] = form[name].value() or ""
    data.update(
        {
            "lines-TOTAL_FORMS": str(len(lines.forms)),
            "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "1000",
        }
    )
    for line in lines.forms:
        for name in ("code_system", "code", "category", "units", "start_date", "end_date"):
            value = line[name].value()
            if hasattr(value, "pk"):
                value = value.pk
            data[f"{line.prefix}-{name}"] = "" if value is None else str(value)
    return data


def test_opening_claims_and_shows_the_form_prefilled_from_the_fax(
    client_for, intake_specialist, read_fax, sample, on_file
):
    client = client_for(intake_specialist)
    response = client.post(reverse("inbox:claim", args=[read_fax.pk]))
    assert response.status_code == 302
    page = client.get(reverse("inbox:review", args=[read_fax.pk]))
    assert page.status_code == 200
    assert page.context["member"] == on_file["coverage"].member
    form = page.context["form"]
    assert form["requesting_provider"].value() == sample.requesting_npi
    assert form["priority"].value() == (
        "expedited" if sample.urgency == "expedited" else "standard"
    )
    assert page.context["lines"].forms[0]["code"].value() == sample.services[0].code
    html = page.content.decode()
    assert 'data-field="requesting_npi"' in html
    assert "inbox/review.js" in html
    assert "<script>" not in html  # no inline script (CSP without unsafe-inline)
    assert AccessLog.objects.filter(case_id=read_fax.pk, action="inbox_view").count() == 1
    assert CareRequest.objects.count() == 0


def test_create_request_makes_the_case_through_intake_with_the_fax_first_and_its_arrival_time(
    client_for, intake_specialist, read_fax, sample
):
    client = client_for(intake_specialist)
    client.post(reverse("inbox:claim", args=[read_fax.pk]))
    page = client.get(reverse("inbox:review", args=[read_fax.pk]))
    data = form_data(page)
    response = client.post(reverse("inbox:create", args=[read_fax.pk]), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    case = CareRequest.objects.get()
    assert response.url == reverse("intake:case", args=[case.pk])
    assert case.channel == "fax"
    assert case.received_at == read_fax.arrived_at
    first = case.documents.order_by("uploaded_at").first()
    assert first.kind == DocumentKind.REQUEST_FORM
    assert first.original_name == "fax.pdf"
    with read_fax.file.open("rb") as fh:
        assert first.size == len(fh.read())
    assert [line.code for line in case.service_lines.all()] == [sample.services[0].code]
    read_fax.refresh_from_db()
    assert (read_fax.status, read_fax.care_request) == (S.CONVERTED, case)


def test_flagged_fields_must_be_confirmed_before_the_case_is_created(
    client_for, intake_specialist, sample, on_file
):
    # The fax names an NPI that is not on file: the field is flagged.
    sample.servicing_npi = on_file["requesting"].npi
    sample.servicing_name = on_file["requesting"].name  # the name on file for that NPI
    sample.requesting_npi = "1234567893"
    document = inbound_document_read(
        document_id=inbound_document_receive(
            actor=None, name="f.pdf", data=samples.acroform_pdf(sample), source="upload"
        ).pk
    )
    flagged = [f.name for f in document.fields.all() if f.needs_confirmation]
    assert flagged == ["requesting_npi"]
    client = client_for(intake_specialist)
    client.post(reverse("inbox:claim", args=[document.pk]))
    data = form_data(client.get(reverse("inbox:review", args=[document.pk])))
    data["requesting_provider"] = on_file["requesting"].npi  # the specialist corrects it
    response = client.post(reverse("inbox:create", args=[document.pk]), data)
    assert response.status_code == 400
    assert CareRequest.objects.count() == 0
    data["confirm"] = ["requesting_npi"]
    response = client.post(reverse("inbox:create", args=[document.pk]), data)
    assert response.status_code == 302
    assert CareRequest.objects.get().requesting_provider == on_file["requesting"]


def test_someone_elses_item_cannot_be_turned_into_a_case(
    client_for, intake_specialist, other_specialist, read_fax
):
    inbound_document_claim(document=read_fax, actor=other_specialist)
    client = client_for(intake_specialist)
    page = client.get(reverse("inbox:review", args=[read_fax.pk]))
    assert page.context["mine"] is False
    response = client.post(
        reverse("inbox:create", args=[read_fax.pk]),
        {"member_number": "M2024001", "birth_date": "1961-05-02"},
    )
    assert response.status_code in (400, 409)
    assert CareRequest.objects.count() == 0


def test_a_fax_answering_a_pending_request_is_filed_on_that_case(
    client_for, intake_specialist, read_fax, on_file
):
    from intake.services.workflow import care_request_request_info

    case = make_case(actor=intake_specialist, coverage=on_file["coverage"])
    care_request_request_info(
        care_request=case,
        actor=intake_specialist,
        description="Send the MRI report",
        due_by=timezone.now() + timezone.timedelta(days=2),
    )
    InboundDocument.objects.filter(pk=read_fax.pk).update(answers_reference=case.reference)
    client = client_for(intake_specialist)
    client.post(reverse("inbox:claim", args=[read_fax.pk]))
    page = client.get(reverse("inbox:review", args=[read_fax.pk]))
    assert page.context["pending_case"] == case
    response = client.post(reverse("inbox:attach", args=[read_fax.pk]), {})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "submitted"
    assert case.documents.filter(kind=DocumentKind.REQUEST_FORM).count() == 1
    assert CareRequest.objects.count() == 1
    read_fax.refresh_from_db()
    assert (read_fax.status, read_fax.care_request) == (S.CONVERTED, case)


def test_page_images_are_served_only_to_intake_and_audited(
    client_for, intake_specialist, nurse, read_fax
):
    url = reverse("inbox:page", args=[read_fax.pk, 1])
    assert client_for(nurse).get(url).status_code == 403
    response = client_for(intake_specialist).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert AccessLog.objects.filter(case_id=read_fax.pk, action="inbox_page").count() == 1
