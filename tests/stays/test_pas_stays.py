"""Concurrent review over FHIR PAS (issue 13): an admission review (X12 UM01 "AR") for a member in
house at the submitting facility becomes a continued-stay request on that stay; one for a stay in
progress with no open stay is the admission notification and opens it; a continued-stay request
without an open stay is refused with an OperationOutcome and nothing written."""

import datetime as dt

import pytest
from django.utils import timezone

from intake.models import CareRequest, Provider
from portal.models import PasSubmission
from stays.models import Stay, StayReview
from tests.factories import CoverageFactory, ProviderFactory
from tests.fhir.conftest import make_bundle, outcome_text, post
from tests.stays.conftest import admit, approve_days

pytestmark = pytest.mark.django_db
X12 = "https://codesystem.x12.org/005010/"
REVENUE = "https://www.nubc.org/CodeSystem/RevenueCodes"
PAS_EXT = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/"
SUBMIT = "/fhir/Claim/$submit"


def admission_review(coverage, facility, *, certification, code="0120", days=3, start=None):
    """A PAS Claim with one admission-review item for `days` room-and-board days."""
    start = start or timezone.localdate()
    bundle = make_bundle(
        member_id=coverage.member_number,
        family=coverage.member.last_name,
        given=coverage.member.first_name,
        birth_date=coverage.member.birth_date.isoformat(),
        requester_npi=facility.npi,
        diagnoses=("I50.9",),
        items=[
            {
                "system": REVENUE,
                "code": code,
                "quantity": days,
                "period": {
                    "start": start.isoformat(),
                    "end": (start + dt.timedelta(days=days - 1)).isoformat(),
                },
            }
        ],
    )
    bundle["entry"][0]["resource"]["item"][0]["extension"] = [
        {
            "url": PAS_EXT + "extension-serviceItemRequestType",
            "valueCodeableConcept": {"coding": [{"system": X12 + "1525", "code": "AR"}]},
        },
        {
            "url": PAS_EXT + "extension-certificationType",
            "valueCodeableConcept": {"coding": [{"system": X12 + "1322", "code": certification}]},
        },
    ]
    return bundle


def written() -> tuple[int, int, int, int]:
    return (
        CareRequest.objects.count(),
        Stay.objects.count(),
        StayReview.objects.count(),
        PasSubmission.objects.count(),
    )


@pytest.mark.parametrize("certification", ["4", "I"])
def test_an_admission_review_for_a_member_in_house_extends_the_stay(
    pas_client, intake_specialist, facility, certification
):
    stay = admit(actor=intake_specialist, facility=facility, days=2)
    first = stay.reviews.get().care_request
    approve_days(first)
    bundle = admission_review(stay.coverage, facility, certification=certification, days=3)
    response = post(pas_client, SUBMIT, bundle)
    assert response.status_code == 200, response.json()
    review = stay.reviews.get(sequence=2)
    case = review.care_request
    assert (case.request_type, case.priority, case.channel) == ("concurrent", "expedited", "api")
    assert review.extends_id == first.pk
    line = case.service_lines.get()
    # The days after the last covered day, whatever dates the Claim gave.
    covered_to = first.service_lines.get().approved_end
    assert (line.code, line.units, line.start_date) == (
        "0120",
        3,
        covered_to + dt.timedelta(days=1),
    )
    assert PasSubmission.objects.get().care_request_id == case.pk
    assert case.external_id == bundle["entry"][0]["resource"]["identifier"][0]["value"]
    assert response.json()["entry"][0]["resource"]["resourceType"] == "ClaimResponse"
    # The same Claim sent again answers the same case: no third review.
    before = written()
    assert post(pas_client, SUBMIT, bundle).status_code == 200
    assert written() == before


def test_an_admission_review_for_a_stay_in_progress_notifies_the_admission(
    pas_client, organization
):
    facility = ProviderFactory(organization=organization, kind=Provider.Kind.ORGANIZATION)
    coverage = CoverageFactory()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    bundle = admission_review(coverage, facility, certification="I", code="0200", days=4)
    bundle["entry"][0]["resource"]["item"][0]["servicedPeriod"]["start"] = yesterday.isoformat()
    response = post(pas_client, SUBMIT, bundle)
    assert response.status_code == 200, response.json()
    stay = Stay.objects.get()
    assert (stay.member_id, stay.facility_id, stay.organization_id) == (
        coverage.member_id,
        facility.pk,
        organization.pk,
    )
    assert (stay.level_of_care, stay.admission_type, stay.diagnoses) == (
        "icu",
        "urgent",
        ["I50.9"],
    )
    assert timezone.localdate(stay.admitted_at) == yesterday
    review = stay.reviews.get()
    assert (review.sequence, review.days_requested) == (1, 4)
    assert PasSubmission.objects.get().care_request_id == review.care_request_id
    assert review.care_request.request_type == "concurrent"


def test_a_continued_stay_request_without_an_open_stay_is_refused(pas_client, facility):
    response = post(
        pas_client, SUBMIT, admission_review(CoverageFactory(), facility, certification="4")
    )
    assert response.status_code == 422
    assert f"no open stay at NPI {facility.npi}" in outcome_text(response.json())
    assert "POST /api/v1/admissions/" in outcome_text(response.json())
    assert written() == (0, 0, 0, 0)


def test_a_stay_at_another_organisations_facility_is_not_extended(
    pas_client, intake_specialist, facility, other_organization
):
    elsewhere = ProviderFactory(
        organization=other_organization, kind=Provider.Kind.ORGANIZATION, name="Elsewhere"
    )
    stay = admit(actor=intake_specialist, facility=elsewhere, days=2)
    approve_days(stay.reviews.get().care_request)
    before = written()
    bundle = admission_review(stay.coverage, facility, certification="4")
    response = post(pas_client, SUBMIT, bundle)
    assert response.status_code == 422
    assert "no open stay at NPI" in outcome_text(response.json())
    assert written() == before


def test_a_planned_admission_stays_a_prospective_request(pas_client, facility):
    start = timezone.localdate() + dt.timedelta(days=7)
    bundle = admission_review(CoverageFactory(), facility, certification="I", start=start)
    response = post(pas_client, SUBMIT, bundle)
    assert response.status_code == 200, response.json()
    case = CareRequest.objects.get()
    assert case.request_type == "prospective"
    assert Stay.objects.count() == 0
