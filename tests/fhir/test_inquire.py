"""FHIR PAS Claim/$inquire and metadata."""

import pytest

from intake.models import CareRequest
from intake.services.transitions import care_request_transition
from tests.fhir.conftest import (
    load_fixture,
    outcome_text,
    post,
    review_actions,
    with_registered_npis,
)

SUBMIT = "/fhir/Claim/$submit"
INQUIRE = "/fhir/Claim/$inquire"


@pytest.fixture
def submitted_example(pas_client, example_member, org_provider, servicing):
    bundle = with_registered_npis(
        load_fixture("submit-referral-single-item.json"), org_provider.npi, servicing.npi
    )
    assert post(pas_client, SUBMIT, bundle).status_code == 200
    return CareRequest.objects.get()


def _inquiry(org_provider, servicing):
    return with_registered_npis(
        load_fixture("inquire-referral.json"), org_provider.npi, servicing.npi
    )


@pytest.mark.django_db
def test_inquiry_answers_the_current_claim_response(
    pas_client, submitted_example, org_provider, servicing
):
    response = post(pas_client, INQUIRE, _inquiry(org_provider, servicing))
    assert response.status_code == 200
    body = response.json()
    assert body["entry"][0]["resource"]["id"] == str(submitted_example.pk)
    assert review_actions(body) == {1: "A4"}
    # After a decision the inquiry tells the new state.
    care_request_transition(
        care_request=submitted_example, name="auto_approve", actor=None, system=True
    )
    CareRequest.objects.filter(pk=submitted_example.pk).update(auth_number="PA1")
    body = post(pas_client, INQUIRE, _inquiry(org_provider, servicing)).json()
    assert review_actions(body) == {1: "A1"}
    assert body["entry"][0]["resource"]["preAuthRef"] == "PA1"


@pytest.mark.django_db
def test_inquiry_from_another_organisation_is_not_found(
    outsider_pas_client, submitted_example, org_provider, servicing
):
    response = post(outsider_pas_client, INQUIRE, _inquiry(org_provider, servicing))
    assert response.status_code == 404
    assert "No prior authorization request of your organisation" in outcome_text(response.json())


@pytest.mark.django_db
def test_inquiry_with_another_patient_is_not_found(
    pas_client, submitted_example, org_provider, servicing
):
    bundle = _inquiry(org_provider, servicing)
    for entry in bundle["entry"]:
        if entry["resource"]["resourceType"] == "Patient":
            entry["resource"]["identifier"][0]["value"] = "OTHER"
            entry["resource"]["name"][0]["family"] = "DOE"
    assert post(pas_client, INQUIRE, bundle).status_code == 404


@pytest.mark.django_db
def test_inquiry_with_another_provider_is_not_found(pas_client, submitted_example, servicing):
    from tests.factories import valid_npi

    bundle = _inquiry(type("P", (), {"npi": valid_npi()}), servicing)
    assert post(pas_client, INQUIRE, bundle).status_code == 404


@pytest.mark.django_db
def test_inquiry_of_an_empty_bundle_is_a_400(pas_client):
    response = post(pas_client, INQUIRE, {"resourceType": "Bundle", "type": "collection"})
    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"


@pytest.mark.django_db
def test_metadata_is_a_capability_statement_with_the_pas_operations(client):
    response = client.get("/fhir/metadata")
    assert response.status_code == 200
    body = response.json()
    assert body["resourceType"] == "CapabilityStatement"
    claim = next(r for r in body["rest"][0]["resource"] if r["type"] == "Claim")
    assert [op["name"] for op in claim["operation"]] == ["submit", "inquire"]


@pytest.mark.django_db
def test_inquiry_without_the_organisations_grant_is_not_found(
    pas_client, submitted_example, org_provider, servicing
):
    """The submitting organisation answers only while its object permission on the case
    stands (intake.services.access), not merely because it sent the Claim."""
    from intake.models import CareRequestGroupObjectPermission

    CareRequestGroupObjectPermission.objects.filter(content_object=submitted_example).delete()
    assert post(pas_client, INQUIRE, _inquiry(org_provider, servicing)).status_code == 404


@pytest.mark.django_db
def test_metadata_lists_only_what_is_supported(client):
    """No REST interaction is offered on Claim (a ClaimResponse comes only from an operation):
    Claim with its two operations, Subscription because the subscriptions app is installed
    (tests/subscriptions checks its entry), the Patient Access API's reads (interop), the
    Provider Access API's Group with $export (access; $member-match on Patient) and the DTR
    Questionnaires (crd; tests/crd checks its entry)."""
    body = client.get("/fhir/metadata").json()
    rest = body["rest"][0]
    assert [r["type"] for r in rest["resource"]] == [
        "Claim",
        "Subscription",
        "ExplanationOfBenefit",
        "Patient",
        "Coverage",
        "Group",
        "Questionnaire",
    ]
    assert "interaction" not in rest["resource"][0]
    assert "interaction" not in rest
    assert "A Claim with related.claim updates the earlier request" in rest["documentation"]
    assert (
        "Not supported: reading or searching Claim or ClaimResponse by id." in rest["documentation"]
    )


@pytest.fixture
def fax_case(intake_specialist, organization, example_member):
    """A request of the organisation keyed in by intake from a fax (never sent through PAS)."""
    from tests.factories import make_case

    return make_case(actor=intake_specialist, coverage=example_member, organization=organization)


def _inquiry_for(bundle_for, case, value: str, **kwargs) -> dict:
    return bundle_for(
        case.coverage,
        identifier=value,
        requester_npi=case.requesting_provider.npi,
        **kwargs,
    )


@pytest.mark.django_db
def test_inquiry_answers_a_request_from_another_channel_by_its_reference(
    pas_client, bundle_for, fax_case
):
    response = post(pas_client, INQUIRE, _inquiry_for(bundle_for, fax_case, fax_case.reference))
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["entry"][0]["resource"]["id"] == str(fax_case.pk)
    assert review_actions(body) == {1: "A4"}


@pytest.mark.django_db
def test_inquiry_answers_a_request_from_another_channel_by_its_authorization_number(
    pas_client, bundle_for, fax_case
):
    care_request_transition(care_request=fax_case, name="auto_approve", actor=None, system=True)
    CareRequest.objects.filter(pk=fax_case.pk).update(auth_number="PA9876")
    body = post(pas_client, INQUIRE, _inquiry_for(bundle_for, fax_case, "pa9876")).json()
    assert review_actions(body) == {1: "A1"}
    assert body["entry"][0]["resource"]["preAuthRef"] == "PA9876"


@pytest.mark.django_db
def test_inquiry_by_reference_needs_the_same_member_and_provider(
    pas_client, bundle_for, fax_case, org_provider
):
    wrong_provider = bundle_for(
        fax_case.coverage, identifier=fax_case.reference, requester_npi=org_provider.npi
    )
    assert post(pas_client, INQUIRE, wrong_provider).status_code == 404
    from tests.factories import CoverageFactory

    other_member = _inquiry_for(bundle_for, fax_case, fax_case.reference)
    other = CoverageFactory()
    for entry in other_member["entry"]:
        if entry["resource"]["resourceType"] == "Patient":
            entry["resource"]["identifier"][0]["value"] = other.member_number
            entry["resource"]["name"] = [{"family": "Other", "given": ["Ann"]}]
    assert post(pas_client, INQUIRE, other_member).status_code == 404


@pytest.mark.django_db
def test_inquiry_by_reference_from_another_organisation_is_not_found(
    outsider_pas_client, bundle_for, fax_case
):
    response = post(
        outsider_pas_client, INQUIRE, _inquiry_for(bundle_for, fax_case, fax_case.reference)
    )
    assert response.status_code == 404
