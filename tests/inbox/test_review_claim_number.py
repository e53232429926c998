"""The confirm-and-create screen takes the claim number of a retrospective request (issue 13),
validated by intake's care_request_create like every other channel's."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from intake.models import CareRequest
from tests.inbox.test_review import form_data, read_fax  # noqa: F401 (the read fax fixture)

pytestmark = pytest.mark.django_db


def retrospective_data(client, document) -> dict:
    client.post(reverse("inbox:claim", args=[document.pk]))
    page = client.get(reverse("inbox:review", args=[document.pk]))
    assert 'name="claim_number"' in page.content.decode()
    data = form_data(page)
    past = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    for key in list(data):
        if key.endswith(("-start_date", "-end_date")):
            data[key] = past
    data["request_type"] = "retrospective"
    return data


def test_a_faxed_retrospective_request_keeps_its_claim_number(
    client_for,
    intake_specialist,
    read_fax,  # noqa: F811
):
    client = client_for(intake_specialist)
    data = retrospective_data(client, read_fax)
    data["claim_number"] = "CLM-2026-0077"
    response = client.post(reverse("inbox:create", args=[read_fax.pk]), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    case = CareRequest.objects.get()
    assert (case.request_type, case.claim_number) == ("retrospective", "CLM-2026-0077")


def test_a_claim_number_on_a_prospective_faxed_request_is_refused_on_its_field(
    client_for,
    intake_specialist,
    read_fax,  # noqa: F811
):
    client = client_for(intake_specialist)
    client.post(reverse("inbox:claim", args=[read_fax.pk]))
    data = form_data(client.get(reverse("inbox:review", args=[read_fax.pk])))
    assert data["request_type"] == "prospective"
    data["claim_number"] = "CLM-2026-0077"
    response = client.post(reverse("inbox:create", args=[read_fax.pk]), data)
    assert response.status_code == 400
    assert response.context["form"].errors["claim_number"] == [
        "A claim number belongs on a retrospective request (a service already given); leave "
        "it empty, or send the request as retrospective."
    ]
    assert CareRequest.objects.count() == 0


def test_a_past_dated_prospective_fax_is_converted_to_retrospective(
    client_for,
    intake_specialist,
    read_fax,  # noqa: F811
):
    client = client_for(intake_specialist)
    data = retrospective_data(client, read_fax)
    data["request_type"] = "prospective"  # as the fax said, for care already given
    response = client.post(reverse("inbox:create", args=[read_fax.pk]), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert CareRequest.objects.get().request_type == "retrospective"
