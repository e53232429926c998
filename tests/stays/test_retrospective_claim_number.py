"""The claim a retrospective request concerns: taken on every channel (portal, REST, intake),
validated in one place, stored, shown to the provider and to staff, and in the API. Only a
retrospective request carries one."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from intake.models import CareRequest
from tests.factories import CoverageFactory, ProviderFactory
from tests.portal.test_submission import _details, _lookup
from tests.stays.conftest import retro

pytestmark = pytest.mark.django_db
PAST = timezone.localdate() - dt.timedelta(days=12)


def retro_details(provider, **overrides):
    data = {
        "request_type": "retrospective",
        "claim_number": "CLM-2026-0042",
        "line1_start_date": PAST.isoformat(),
        "line1_end_date": PAST.isoformat(),
    }
    return _details(provider, **{**data, **overrides})


def test_portal_keeps_the_claim_number_of_a_retrospective_request_through_submit(
    client_for, provider_user, organization, nurse, intake_specialist
):
    coverage = CoverageFactory()
    provider = ProviderFactory(organization=organization)
    client = client_for(provider_user)
    _lookup(client, coverage)
    response = client.post(reverse("portal:new_details"), retro_details(provider))
    assert response.status_code == 302, response.context["form"].errors
    draft = CareRequest.objects.get()
    assert (draft.request_type, draft.claim_number) == ("retrospective", "CLM-2026-0042")

    edit = client.get(reverse("portal:edit", args=[draft.pk])).content.decode()
    assert 'value="CLM-2026-0042"' in edit  # the draft's form shows it again
    client.post(
        reverse("portal:edit", args=[draft.pk]), retro_details(provider, claim_number=" CLM-7 ")
    )
    draft.refresh_from_db()
    assert draft.claim_number == "CLM-7"
    review = client.get(reverse("portal:review", args=[draft.pk])).content.decode()
    assert "<dd data-claim-number>CLM-7</dd>" in review

    client.post(reverse("portal:submit", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status != "draft"
    # The post-service clock of the factory plan (Medicare Advantage: payment decisions, 60 days).
    assert coverage.plan.line_of_business == "medicare_advantage"
    assert (draft.due_at - draft.received_at) == dt.timedelta(days=60)
    page = client.get(reverse("portal:case", args=[draft.pk])).content.decode()
    assert "<dd data-claim-number>CLM-7</dd>" in page
    api = client.get(f"/api/v1/care-requests/{draft.pk}/")
    assert api.json()["claim_number"] == "CLM-7"
    staff = client_for(intake_specialist).get(reverse("intake:case", args=[draft.pk]))
    assert "<dd data-claim-number>CLM-7</dd>" in staff.content.decode()


def test_portal_refuses_a_claim_number_on_a_prospective_request(
    client_for, provider_user, organization
):
    coverage = CoverageFactory()
    provider = ProviderFactory(organization=organization)
    client = client_for(provider_user)
    _lookup(client, coverage)
    response = client.post(reverse("portal:new_details"), _details(provider, claim_number="CLM-1"))
    assert response.status_code == 200
    assert "A claim number belongs on a retrospective request" in str(
        response.context["form"].errors["claim_number"]
    )
    assert CareRequest.objects.count() == 0


@pytest.mark.parametrize("bad", ["CLM 42", "-42", "CLM#42", "x" * 41])
def test_portal_refuses_a_malformed_claim_number(client_for, provider_user, organization, bad):
    coverage = CoverageFactory()
    provider = ProviderFactory(organization=organization)
    client = client_for(provider_user)
    _lookup(client, coverage)
    response = client.post(reverse("portal:new_details"), retro_details(provider, claim_number=bad))
    assert response.status_code == 200
    assert "claim_number" in response.context["form"].errors
    assert CareRequest.objects.count() == 0


def test_rest_api_refuses_a_malformed_claim_number_with_a_field_error(
    api_for, provider_user, organization
):
    coverage = CoverageFactory()
    body = {
        "member_id": coverage.member_number,
        "member_birth_date": str(coverage.member.birth_date),
        "requesting_provider_npi": ProviderFactory(organization=organization).npi,
        "request_type": "retrospective",
        "claim_number": "CLM 77",
        "lines": [
            {"code": "72148", "code_system": "cpt", "start_date": str(PAST), "end_date": str(PAST)}
        ],
        "diagnoses": ["M54.16"],
    }
    response = api_for(provider_user).post("/api/v1/care-requests/", body, format="json")
    assert response.status_code == 400
    assert "1 to 40 letters and digits" in response.json()["errors"]["claim_number"][0]
    assert CareRequest.objects.count() == 0


def test_the_nurse_sees_the_claim_of_a_retrospective_review(
    client_for, provider_user, organization, nurse
):
    case = retro(
        provider_user,
        provider=ProviderFactory(organization=organization),
        days_ago=12,
        claim_number="CLM-9001",
        channel=CareRequest.Channel.PORTAL,
    )
    html = client_for(nurse).get(reverse("review:case", args=[case.pk])).content.decode()
    assert "<strong data-claim-number>CLM-9001</strong>" in html
