"""The admissions API: notify, read the days, ask for more, discharge; isolation by
organisation (404), and the OpenAPI schema."""

import datetime as dt

import pytest
from django.utils import timezone

from intake.models import CareRequest
from stays.models import Stay, StayReview
from tests.factories import CoverageFactory
from tests.stays.conftest import approve_days
from um_portal.audit.models import AccessLog


def _body(coverage, facility, **overrides):
    body = {
        "member_id": coverage.member_number,
        "member_birth_date": str(coverage.member.birth_date),
        "facility_npi": facility.npi,
        "admission_type": "emergency",
        "level_of_care": "acute",
        "admitted_at": (timezone.now() - dt.timedelta(hours=10)).isoformat(),
        "diagnoses": ["I50.9"],
        "requested_days": 3,
    }
    body.update(overrides)
    return body


@pytest.fixture
def notified(api_for, provider_user, facility):
    coverage = CoverageFactory()
    response = api_for(provider_user).post(
        "/api/v1/admissions/", _body(coverage, facility), format="json"
    )
    assert response.status_code == 201, response.json()
    return response.json()


@pytest.mark.django_db
def test_admission_notification_opens_the_stay_and_its_first_review(notified, provider_user):
    stay = Stay.objects.get(pk=notified["id"])
    case = CareRequest.objects.get(pk=notified["care_request_id"])
    assert (stay.status, stay.level_of_care, stay.admission_type) == (
        "in_house",
        "acute",
        "emergency",
    )
    assert (case.request_type, case.status, case.channel, case.priority) == (
        "concurrent",
        "submitted",
        "api",
        "expedited",
    )
    assert case.stay_review.stay_id == stay.pk
    line = case.service_lines.get()
    assert (line.code_system, line.code, line.units) == ("revenue", "0120", 3)
    # Granted like any other request: the facility's users see the case.
    assert provider_user.has_perm("intake.view_carerequest", case)


@pytest.mark.django_db
def test_admission_read_shows_days_and_next_review(api_for, provider_user, notified):
    client = api_for(provider_user)
    response = client.get(f"/api/v1/admissions/{notified['id']}/")
    assert response.json() == {
        "id": notified["id"],
        "status": "in_house",
        "level_of_care": "acute",
        "days_requested": 3,
        "days_approved": 0,
        "days_denied": 0,
        "next_review_date": str(timezone.localdate()),
    }
    approve_days(CareRequest.objects.get(pk=notified["care_request_id"]), 2)
    body = client.get(f"/api/v1/admissions/{notified['id']}/").json()
    assert (body["days_approved"], body["days_denied"]) == (2, 1)
    assert AccessLog.objects.filter(action="api_read_stay", user=provider_user).count() == 2


@pytest.mark.django_db
def test_extension_is_a_new_review_linked_to_the_stay(api_for, provider_user, notified):
    first = CareRequest.objects.get(pk=notified["care_request_id"])
    approve_days(first)
    response = api_for(provider_user).post(
        f"/api/v1/admissions/{notified['id']}/extensions/", {"requested_days": 2}, format="json"
    )
    assert response.status_code == 201, response.json()
    review = StayReview.objects.get(care_request_id=response.json()["care_request_id"])
    assert (str(review.stay_id), review.sequence, review.extends_id, review.days_requested) == (
        notified["id"],
        2,
        first.pk,
        2,
    )
    line = review.care_request.service_lines.get()
    last_covered = first.service_lines.get().approved_end
    assert line.start_date == last_covered + dt.timedelta(days=1)


@pytest.mark.django_db
def test_extension_while_a_review_is_open_is_refused(api_for, provider_user, notified):
    response = api_for(provider_user).post(
        f"/api/v1/admissions/{notified['id']}/extensions/", {"requested_days": 2}, format="json"
    )
    assert response.status_code == 409
    assert StayReview.objects.count() == 1


@pytest.mark.django_db
def test_discharge_records_date_and_disposition(api_for, provider_user, notified):
    at = timezone.now() - dt.timedelta(hours=1)
    response = api_for(provider_user).post(
        f"/api/v1/admissions/{notified['id']}/discharge/",
        {"discharged_at": at.isoformat(), "disposition": "home"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    stay = Stay.objects.get(pk=notified["id"])
    assert (stay.status, stay.disposition, stay.discharged_at) == ("discharged", "home", at)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("get", "", None),
        ("post", "extensions/", {"requested_days": 2}),
        ("post", "discharge/", {"discharged_at": "2026-01-01T00:00:00Z", "disposition": "home"}),
    ],
)
def test_another_organisation_gets_404_and_nothing_changes(
    api_for, outsider, notified, method, suffix, body
):
    client = api_for(outsider)
    url = f"/api/v1/admissions/{notified['id']}/{suffix}"
    response = client.get(url) if method == "get" else client.post(url, body, format="json")
    assert response.status_code == 404
    assert (StayReview.objects.count(), Stay.objects.get().status) == (1, "in_house")


@pytest.mark.django_db
def test_a_facility_cannot_notify_for_another_organisations_facility(api_for, outsider, facility):
    response = api_for(outsider).post(
        "/api/v1/admissions/", _body(CoverageFactory(), facility), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["facility_npi"]
    assert Stay.objects.count() == 0


@pytest.mark.django_db
def test_an_admission_in_the_future_is_refused(api_for, provider_user, facility):
    future = (timezone.now() + dt.timedelta(days=2)).isoformat()
    response = api_for(provider_user).post(
        "/api/v1/admissions/", _body(CoverageFactory(), facility, admitted_at=future), format="json"
    )
    assert response.status_code == 400
    assert "prospective" in response.json()["errors"]["admitted_at"][0]
    assert (Stay.objects.count(), CareRequest.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_an_elective_admission_needs_its_prior_authorization(api_for, provider_user, facility):
    response = api_for(provider_user).post(
        "/api/v1/admissions/",
        _body(CoverageFactory(), facility, admission_type="elective"),
        format="json",
    )
    assert response.status_code == 400
    assert "prior authorization" in response.json()["errors"]["admission_type"][0]


@pytest.mark.django_db
def test_admissions_api_is_in_the_openapi_schema(client_for, provider_user):
    schema = client_for(provider_user).get("/api/schema/", {"format": "json"}).json()
    assert {
        "/api/v1/admissions/",
        "/api/v1/admissions/{stay_id}/",
        "/api/v1/admissions/{stay_id}/extensions/",
        "/api/v1/admissions/{stay_id}/discharge/",
    } <= set(schema["paths"])
    fields = schema["components"]["schemas"]["AdmissionCreate"]["properties"]
    assert set(fields) == {
        "member_id",
        "member_birth_date",
        "facility_npi",
        "attending_npi",
        "admission_type",
        "level_of_care",
        "admitted_at",
        "diagnoses",
        "requested_days",
    }
