"""REST API: authentication, create/list/retrieve, errors."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from intake.models import CareRequest, CareRequestStatus
from tests.factories import make_case

URL = "/api/v1/care-requests/"


def payload(coverage, provider, **overrides):
    start = timezone.localdate() + timedelta(days=3)
    body = {
        "member_id": coverage.member_number,
        "member_birth_date": coverage.member.birth_date.isoformat(),
        "requesting_provider_npi": provider.npi,
        "lines": [
            {
                "code_system": "cpt",
                "code": "72148",
                "units": 1,
                "start_date": start.isoformat(),
                "end_date": (start + timedelta(days=10)).isoformat(),
            }
        ],
        "diagnoses": ["M54.16"],
    }
    body.update(overrides)
    return body


@pytest.mark.django_db
def test_api_without_credentials_answers_401_with_bearer_challenge():
    response = APIClient().get(URL)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["code"] == "not_authenticated"


@pytest.mark.django_db
def test_a_wrong_token_answers_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert client.get(URL).status_code == 401


@pytest.mark.django_db
def test_issue_api_token_prints_a_working_token(provider_user, own_case):
    out = StringIO()
    call_command("issue_api_token", "provider", stdout=out)
    key = out.getvalue().strip()
    assert key == Token.objects.get(user=provider_user).key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    response = client.get(URL)
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(own_case.pk)]


@pytest.mark.django_db
def test_session_auth_works_for_the_browser(client_for, provider_user, own_case):
    response = client_for(provider_user).get(f"{URL}{own_case.pk}/")
    assert response.status_code == 200
    assert response.json()["id"] == str(own_case.pk)


@pytest.mark.django_db
def test_user_without_a_role_gets_403(api_for, db):
    from tests.factories import UserFactory

    response = api_for(UserFactory(username="nobody")).get(URL)
    assert response.status_code == 403


@pytest.mark.django_db
def test_provider_creates_and_submits_a_request(api_for, provider_user, coverage, org_provider):
    response = api_for(provider_user).post(URL, payload(coverage, org_provider), format="json")
    assert response.status_code == 201
    body = response.json()
    case = CareRequest.objects.get()
    assert body["id"] == str(case.pk)
    assert body["reference"] == case.reference
    assert case.channel == "api"
    assert case.provider_organization_id == provider_user.provider_organization_id
    assert case.status != CareRequestStatus.DRAFT
    assert body["status"] == case.status
    assert body["service_lines"][0]["code"] == "72148"


@pytest.mark.django_db
def test_status_is_never_writable(api_for, provider_user, coverage, org_provider):
    body = payload(coverage, org_provider, status="approved", submit=False)
    response = api_for(provider_user).post(URL, body, format="json")
    assert response.status_code == 201
    assert CareRequest.objects.get().status == CareRequestStatus.DRAFT
    case_id = response.json()["id"]
    for method in ("put", "patch"):
        answer = getattr(api_for(provider_user), method)(
            f"{URL}{case_id}/", {"status": "approved"}, format="json"
        )
        assert answer.status_code == 405
    assert CareRequest.objects.get().status == CareRequestStatus.DRAFT


@pytest.mark.django_db
def test_invalid_request_answers_400_with_field_errors_and_writes_nothing(
    api_for, provider_user, coverage, org_provider
):
    body = payload(coverage, org_provider, diagnoses=["M54"])
    body["lines"][0]["code"] = "ABC"
    response = api_for(provider_user).post(URL, body, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["lines[1].code"] == [
        "ABC is not a CPT code (five characters: four digits then a digit, F, T or U)."
    ]
    assert errors["diagnoses"] == [
        "M54 is a category; enter a billable code with all its characters."
    ]
    assert CareRequest.objects.count() == 0


@pytest.mark.django_db
def test_missing_fields_answer_400_per_field(api_for, provider_user):
    response = api_for(provider_user).post(URL, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {
        "member_id",
        "member_birth_date",
        "requesting_provider_npi",
        "lines",
        "diagnoses",
    }


@pytest.mark.django_db
def test_unknown_member_answers_400(api_for, provider_user, coverage, org_provider):
    body = payload(coverage, org_provider, member_birth_date="1900-01-01")
    response = api_for(provider_user).post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "member_id": ["No member with this member ID and date of birth."]
    }


@pytest.mark.django_db
def test_provider_cannot_request_for_another_organisations_provider(
    api_for, provider_user, coverage
):
    from tests.factories import ProviderFactory

    response = api_for(provider_user).post(URL, payload(coverage, ProviderFactory()), format="json")
    assert response.status_code == 400
    assert "requesting_provider_npi" in response.json()["errors"]
    assert CareRequest.objects.count() == 0


@pytest.mark.django_db
def test_nurse_may_not_create_requests(api_for, nurse, coverage, org_provider):
    response = api_for(nurse).post(URL, payload(coverage, org_provider), format="json")
    assert response.status_code == 403
    assert CareRequest.objects.count() == 0


@pytest.mark.django_db
def test_list_filters_by_status_and_is_scoped_to_the_organisation(
    api_for, provider_user, organization, other_organization, intake_specialist
):
    submitted = make_case(actor=intake_specialist, organization=organization)
    draft = make_case(actor=intake_specialist, organization=organization, submit=False)
    make_case(actor=intake_specialist, organization=other_organization)
    client = api_for(provider_user)
    everything = client.get(URL).json()
    assert {r["id"] for r in everything["results"]} == {str(submitted.pk), str(draft.pk)}
    drafts = client.get(URL, {"status": "draft"}).json()
    assert [r["id"] for r in drafts["results"]] == [str(draft.pk)]
    assert client.get(URL, {"status": "nonsense"}).status_code == 400


@pytest.mark.django_db
def test_staff_see_every_organisations_requests(
    api_for, nurse, own_case, intake_specialist, other_organization
):
    other = make_case(actor=intake_specialist, organization=other_organization)
    ids = {r["id"] for r in api_for(nurse).get(URL).json()["results"]}
    assert ids == {str(own_case.pk), str(other.pk)}


@pytest.mark.django_db
def test_unknown_uuid_answers_404(api_for, provider_user):
    response = api_for(provider_user).get(f"{URL}00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found.", "code": "not_found", "errors": {}}


@pytest.mark.django_db
def test_list_search_matches_reference_or_member_and_stays_in_the_organisation(
    api_for, provider_user, own_case, intake_specialist, other_organization
):
    theirs = make_case(
        actor=intake_specialist, organization=other_organization, coverage=own_case.coverage
    )
    client = api_for(provider_user)
    for term in (own_case.reference, own_case.coverage.member_number, own_case.member.last_name):
        response = client.get(URL, {"search": term})
        assert response.status_code == 200
        ids = [r["id"] for r in response.json()["results"]]
        assert ids == [str(own_case.pk)], term
        assert str(theirs.pk) not in ids
    too_long = client.get(URL, {"search": "x" * 61})
    assert too_long.status_code == 400
    assert "search" in too_long.json()["errors"]
