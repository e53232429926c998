"""The date rules at receipt, on every channel: a prospective request for past dates is refused
with a field error that says to send it as retrospective (at intake it is converted, the reason
recorded); a retrospective one for future dates is refused; a concurrent one needs a stay."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from intake.models import CareRequest, CaseNote
from intake.services.receipt import ServiceLineInput, care_request_create
from stays.models import Stay
from tests.factories import CoverageFactory, ProviderFactory, category
from tests.fhir.conftest import make_bundle, outcome_text, post
from tests.intake.test_entry_view import form_data
from tests.portal.test_submission import _details, _lookup
from um_portal.audit.models import AuditEvent
from um_portal.lib.errors import ValidationFailed

TODAY = timezone.localdate
PAST_MESSAGE = "Send it as a retrospective request."
FUTURE_MESSAGE = "a retrospective request is for a service already given"


def _create(actor, *, request_type, start, end=None, channel="api", **kwargs):
    provider = ProviderFactory()
    return care_request_create(
        actor=actor,
        coverage=kwargs.pop("coverage", None) or CoverageFactory(),
        requesting_provider=provider,
        servicing_provider=provider,
        lines=[
            ServiceLineInput(
                code_system=kwargs.pop("code_system", "cpt"),
                code=kwargs.pop("code", "72148"),
                category=category(kwargs.pop("category_code", "imaging")),
                units=1,
                start_date=start,
                end_date=end or start,
            )
        ],
        diagnoses=["M54.16"],
        channel=channel,
        priority="standard",
        request_type=request_type,
        review_setting="outpatient",
        **kwargs,
    )


@pytest.mark.django_db
def test_service_refuses_a_past_dated_prospective_request_and_writes_nothing(intake_specialist):
    with pytest.raises(ValidationFailed) as exc:
        _create(intake_specialist, request_type="prospective", start=TODAY() - dt.timedelta(days=3))
    assert list(exc.value.field_errors) == ["lines[1].start_date"]
    assert PAST_MESSAGE in exc.value.field_errors["lines[1].start_date"][0]
    assert CareRequest.objects.count() == 0


@pytest.mark.django_db
def test_service_refuses_a_future_dated_retrospective_request(intake_specialist):
    with pytest.raises(ValidationFailed) as exc:
        _create(
            intake_specialist,
            request_type="retrospective",
            start=TODAY() - dt.timedelta(days=2),
            end=TODAY() + dt.timedelta(days=2),
        )
    assert list(exc.value.field_errors) == ["lines[1].end_date"]
    assert FUTURE_MESSAGE in exc.value.field_errors["lines[1].end_date"][0]
    assert CareRequest.objects.count() == 0


@pytest.mark.django_db
def test_intake_converts_a_past_dated_prospective_request_and_records_why(intake_specialist):
    case = _create(
        intake_specialist,
        request_type="prospective",
        start=TODAY() - dt.timedelta(days=10),
        channel="fax",
    )
    assert (case.request_type, case.priority) == ("retrospective", "standard")
    note = CaseNote.objects.get(care_request=case)
    assert "received as a retrospective request" in note.body
    assert (
        AuditEvent.objects.filter(
            case_id=case.pk, action="care_request.converted_to_retrospective"
        ).count()
        == 1
    )


@pytest.mark.django_db
def test_intake_entry_page_converts_a_past_dated_prospective_request(
    client_for, intake_specialist, organization
):
    coverage = CoverageFactory()
    provider = ProviderFactory(organization=organization)
    past = TODAY() - dt.timedelta(days=12)
    response = client_for(intake_specialist).post(
        reverse("intake:new"),
        form_data(
            coverage,
            provider,
            **{"lines-0-start_date": past.isoformat(), "lines-0-end_date": past.isoformat()},
        ),
    )
    assert response.status_code == 302
    case = CareRequest.objects.get()
    assert (case.request_type, case.priority) == ("retrospective", "standard")


@pytest.mark.django_db
def test_a_draft_that_became_past_dated_is_refused_at_receipt(intake_specialist):
    from intake.services.receipt import care_request_submit

    case = _create(
        intake_specialist,
        request_type="prospective",
        start=TODAY() + dt.timedelta(days=1),
        submit=False,
    )
    # Kept as a draft since yesterday, for a service that was yesterday.
    case.service_lines.update(start_date=TODAY() - dt.timedelta(days=1))
    CareRequest.objects.filter(pk=case.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    case.refresh_from_db()
    with pytest.raises(ValidationFailed) as exc:
        care_request_submit(care_request=case, actor=intake_specialist)
    assert PAST_MESSAGE in exc.value.field_errors["lines[1].start_date"][0]
    case.refresh_from_db()
    assert (case.status, case.received_at) == ("draft", None)


@pytest.mark.django_db
def test_rest_api_refuses_a_past_dated_prospective_request(api_for, provider_user, organization):
    coverage = CoverageFactory()
    npi = ProviderFactory(organization=organization).npi
    past = TODAY() - dt.timedelta(days=5)
    response = api_for(provider_user).post(
        "/api/v1/care-requests/",
        {
            "member_id": coverage.member_number,
            "member_birth_date": str(coverage.member.birth_date),
            "requesting_provider_npi": npi,
            "lines": [
                {
                    "code": "72148",
                    "code_system": "cpt",
                    "start_date": str(past),
                    "end_date": str(past),
                }
            ],
            "diagnoses": ["M54.16"],
        },
        format="json",
    )
    assert response.status_code == 400
    assert PAST_MESSAGE in response.json()["errors"]["lines[1].start_date"][0]
    assert CareRequest.objects.count() == 0


@pytest.mark.django_db
def test_rest_api_takes_a_retrospective_request_with_its_claim_number(
    api_for, provider_user, organization
):
    coverage = CoverageFactory()
    npi = ProviderFactory(organization=organization).npi
    past = TODAY() - dt.timedelta(days=5)
    body = {
        "member_id": coverage.member_number,
        "member_birth_date": str(coverage.member.birth_date),
        "requesting_provider_npi": npi,
        "request_type": "retrospective",
        "claim_number": "CLM-77",
        "lines": [
            {"code": "72148", "code_system": "cpt", "start_date": str(past), "end_date": str(past)}
        ],
        "diagnoses": ["M54.16"],
    }
    response = api_for(provider_user).post("/api/v1/care-requests/", body, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["request_type"], response.json()["claim_number"]) == (
        "retrospective",
        "CLM-77",
    )
    future = str(TODAY() + dt.timedelta(days=5))
    body["lines"][0].update(start_date=future, end_date=future)
    refused = api_for(provider_user).post("/api/v1/care-requests/", body, format="json")
    assert refused.status_code == 400
    assert FUTURE_MESSAGE in refused.json()["errors"]["lines[1].start_date"][0]


@pytest.mark.django_db
def test_portal_refuses_a_past_dated_prospective_request_on_the_date_field(
    client_for, provider_user, organization
):
    coverage = CoverageFactory()
    provider = ProviderFactory(organization=organization)
    client = client_for(provider_user)
    _lookup(client, coverage)
    past = (TODAY() - dt.timedelta(days=4)).isoformat()
    response = client.post(
        reverse("portal:new_details"),
        _details(provider, line1_start_date=past, line1_end_date=past),
    )
    assert response.status_code == 200
    assert PAST_MESSAGE in str(response.context["form"].errors["line1_start_date"])
    assert CareRequest.objects.count() == 0


@pytest.mark.django_db
def test_fhir_submit_refuses_past_service_dates_with_an_operation_outcome(pas_client, organization):
    coverage = CoverageFactory()
    requester = ProviderFactory(organization=organization)
    past = (TODAY() - dt.timedelta(days=7)).isoformat()
    bundle = make_bundle(
        member_id=coverage.member_number,
        family=coverage.member.last_name,
        given=coverage.member.first_name,
        birth_date=coverage.member.birth_date.isoformat(),
        requester_npi=requester.npi,
        items=[
            {
                "system": "http://www.ama-assn.org/go/cpt",
                "code": "72148",
                "quantity": 1,
                "period": {"start": past, "end": past},
            }
        ],
    )
    # PAS has no retrospective flag: a Claim whose items were all given is a post-service review.
    response = post(pas_client, "/fhir/Claim/$submit", bundle)
    assert response.status_code in (200, 201), response.json()
    case = CareRequest.objects.get()
    assert (case.request_type, case.priority) == ("retrospective", "standard")


@pytest.mark.django_db
def test_fhir_submit_refuses_past_and_future_items_together(pas_client, organization):
    coverage = CoverageFactory()
    requester = ProviderFactory(organization=organization)
    past = (TODAY() - dt.timedelta(days=7)).isoformat()
    future = (TODAY() + dt.timedelta(days=7)).isoformat()
    bundle = make_bundle(
        member_id=coverage.member_number,
        family=coverage.member.last_name,
        given=coverage.member.first_name,
        birth_date=coverage.member.birth_date.isoformat(),
        requester_npi=requester.npi,
        items=[
            {
                "system": "http://www.ama-assn.org/go/cpt",
                "code": "72148",
                "quantity": 1,
                "period": {"start": past, "end": past},
            },
            {
                "system": "http://www.ama-assn.org/go/cpt",
                "code": "72148",
                "quantity": 1,
                "period": {"start": future, "end": future},
            },
        ],
    )
    response = post(pas_client, "/fhir/Claim/$submit", bundle)
    assert response.status_code == 422
    assert "PAS has no retrospective flag" in outcome_text(response.json())
    assert CareRequest.objects.count() == 0


@pytest.mark.django_db
def test_fhir_submit_refuses_a_continued_stay_request_with_a_clear_outcome(
    pas_client, organization
):
    coverage = CoverageFactory()
    requester = ProviderFactory(organization=organization)
    bundle = make_bundle(
        member_id=coverage.member_number,
        family=coverage.member.last_name,
        given=coverage.member.first_name,
        birth_date=coverage.member.birth_date.isoformat(),
        requester_npi=requester.npi,
    )
    x12 = "https://codesystem.x12.org/005010/"
    bundle["entry"][0]["resource"]["item"][0]["extension"] = [
        {
            "url": "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/"
            "extension-serviceItemRequestType",
            "valueCodeableConcept": {"coding": [{"system": x12 + "1525", "code": "AR"}]},
        },
        {
            "url": "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/"
            "extension-certificationType",
            "valueCodeableConcept": {"coding": [{"system": x12 + "1322", "code": "4"}]},
        },
    ]
    response = post(pas_client, "/fhir/Claim/$submit", bundle)
    assert response.status_code == 422
    # Without an open stay at the facility there is nothing to extend (tests/stays/
    # test_pas_stays.py: with one, the request becomes a continued-stay review).
    assert f"no open stay at NPI {requester.npi}" in outcome_text(response.json())
    assert CareRequest.objects.count() == 0


@pytest.mark.django_db
def test_concurrent_request_without_a_stay_for_a_future_admission_is_refused(intake_specialist):
    with pytest.raises(ValidationFailed) as exc:
        _create(
            intake_specialist,
            request_type="concurrent",
            start=TODAY() + dt.timedelta(days=2),
            code_system="revenue",
            code="0120",
            category_code="inpatient",
        )
    assert "no open stay" in exc.value.field_errors["lines[1].start_date"][0]
    assert (CareRequest.objects.count(), Stay.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_concurrent_request_without_a_stay_opens_one(intake_specialist):
    case = _create(
        intake_specialist,
        request_type="concurrent",
        start=TODAY() - dt.timedelta(days=1),
        end=TODAY() + dt.timedelta(days=1),
        code_system="revenue",
        code="0200",
        category_code="inpatient",
    )
    stay = Stay.objects.get()
    review = case.stay_review
    assert (review.stay_id, review.sequence, review.level_of_care, review.days_requested) == (
        stay.pk,
        1,
        "icu",
        3,
    )
    assert (stay.member_id, stay.level_of_care, timezone.localdate(stay.admitted_at)) == (
        case.member_id,
        "icu",
        TODAY() - dt.timedelta(days=1),
    )


@pytest.mark.django_db
def test_intake_entry_keeps_the_claim_number_of_a_retrospective_request(
    client_for, intake_specialist, organization
):
    coverage = CoverageFactory()
    provider = ProviderFactory(organization=organization)
    past = TODAY() - dt.timedelta(days=9)
    response = client_for(intake_specialist).post(
        reverse("intake:new"),
        form_data(
            coverage,
            provider,
            request_type="retrospective",
            claim_number="CLM-4411",
            **{"lines-0-start_date": past.isoformat(), "lines-0-end_date": past.isoformat()},
        ),
    )
    assert response.status_code == 302
    case = CareRequest.objects.get()
    assert (case.request_type, case.claim_number) == ("retrospective", "CLM-4411")
