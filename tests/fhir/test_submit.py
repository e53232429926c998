"""FHIR PAS Claim/$submit: the shared examples, hand-made urn:uuid bundles, idempotency."""

import pytest

from intake.models import CareRequest, CareRequestStatus, Provider
from portal.models import PasSubmission
from tests.factories import valid_npi
from tests.fhir.conftest import (
    CPT,
    HCPCS,
    X12_1365,
    counts,
    load_fixture,
    outcome_text,
    post,
    review_actions,
    with_registered_npis,
)

SUBMIT = "/fhir/Claim/$submit"


@pytest.mark.django_db
def test_shared_single_item_example_is_answered_item_by_item(
    pas_client, example_member, org_provider, servicing
):
    bundle = with_registered_npis(
        load_fixture("submit-referral-single-item.json"), org_provider.npi, servicing.npi
    )
    response = post(pas_client, SUBMIT, bundle)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    body = response.json()
    assert body["resourceType"] == "Bundle"
    claim_response = body["entry"][0]["resource"]
    assert claim_response["resourceType"] == "ClaimResponse"
    assert review_actions(body) == {1: "A4"}  # no rules decided it: pended
    assert claim_response["request"]["identifier"]["value"] == "111099"
    case = CareRequest.objects.get()
    assert claim_response["id"] == str(case.pk)
    assert case.channel == "api"
    assert case.status == CareRequestStatus.SUBMITTED
    assert case.external_id == "111099"
    assert case.priority == "standard"
    assert list(case.service_lines.values_list("code_system", "code", "category__code")) == [
        ("x12_service_type", "3", "consultation")
    ]
    assert list(case.diagnoses.values_list("code", flat=True)) == ["G89.4"]
    assert case.requesting_provider == org_provider
    assert case.servicing_provider == servicing
    assert case.provider_organization == org_provider.organization
    # The resources the ClaimResponse refers to travel with it.
    urls = [e["fullUrl"] for e in body["entry"][1:]]
    assert "https://prior-auth.davinci.hl7.org/fhir/Patient/SubscriberExample" in urls


@pytest.mark.django_db
def test_shared_multiple_items_example_answers_each_item(
    pas_client, example_member, org_provider, servicing
):
    bundle = with_registered_npis(
        load_fixture("submit-referral-multiple-items.json"), org_provider.npi, servicing.npi
    )
    response = post(pas_client, SUBMIT, bundle)
    assert response.status_code == 200
    assert review_actions(response.json()) == {1: "A4", 2: "A4"}
    assert CareRequest.objects.get().service_lines.count() == 2


@pytest.mark.django_db
def test_shared_nonconformant_example_gets_an_operation_outcome(pas_client):
    response = post(pas_client, SUBMIT, load_fixture("submit-nonconformant.json"))
    assert response.status_code == 400
    assert outcome_text(response.json()) == (
        "The Bundle has no entries; the Claim must be the first."
    )
    assert counts() == (0, 0)


@pytest.mark.django_db
def test_urn_uuid_bundle_with_cpt_hcpcs_and_x12_items(pas_client, bundle_for, example_member):
    servicing_npi = valid_npi()
    bundle = bundle_for(
        example_member,
        practitioner_npi=servicing_npi,
        priority="stat",
        items=[
            {
                "system": CPT,
                "code": "72148",
                "quantity": 1,
                "period": {"start": "2030-01-10", "end": "2030-02-10"},
            },
            {"system": HCPCS, "code": "E0601", "quantity": 2},
            {"system": X12_1365, "code": "62", "sequence": 7},
        ],
        diagnoses=("M54.16", "G47.33"),
    )
    example_member.effective_to = None
    response = post(pas_client, SUBMIT, bundle)
    assert response.status_code == 200, response.json()
    assert review_actions(response.json()) == {1: "A4", 2: "A4", 7: "A4"}
    case = CareRequest.objects.get()
    assert case.priority == "expedited"
    lines = list(case.service_lines.values_list("code_system", "code", "units", "category__code"))
    assert lines == [
        ("cpt", "72148", 1, "imaging"),
        ("hcpcs", "E0601", 2, "dme"),
        ("x12_service_type", "62", 1, "imaging"),
    ]
    first = case.service_lines.first()
    assert (first.start_date.isoformat(), first.end_date.isoformat()) == (
        "2030-01-10",
        "2030-02-10",
    )
    # An NPI we did not know is registered, out of network until contracted.
    created = Provider.objects.get(npi=servicing_npi)
    assert (created.name, created.network_status, created.organization) == (
        "Susan Watson",
        "out",
        None,
    )


@pytest.mark.django_db
def test_resubmitting_the_same_bundle_returns_the_same_case(pas_client, bundle_for, example_member):
    bundle = bundle_for(example_member, identifier="CLAIM-42")
    first = post(pas_client, SUBMIT, bundle)
    second = post(pas_client, SUBMIT, bundle)
    assert first.status_code == second.status_code == 200
    assert counts() == (1, 1)
    assert first.json()["entry"][0]["resource"]["id"] == second.json()["entry"][0]["resource"]["id"]


@pytest.mark.django_db
def test_same_claim_identifier_from_another_organisation_is_a_different_request(
    pas_client, outsider_pas_client, bundle_for, example_member, other_organization
):
    from tests.factories import ProviderFactory

    post(pas_client, SUBMIT, bundle_for(example_member, identifier="SHARED-1"))
    theirs = ProviderFactory(organization=other_organization)
    response = post(
        outsider_pas_client,
        SUBMIT,
        bundle_for(example_member, identifier="SHARED-1", requester_npi=theirs.npi),
    )
    assert response.status_code == 200
    assert counts() == (2, 2)


@pytest.mark.django_db
def test_decided_cases_carry_the_review_action_and_auth_number(
    pas_client, bundle_for, example_member, intake_specialist
):
    from intake.services.transitions import care_request_transition

    response = post(pas_client, SUBMIT, bundle_for(example_member, identifier="AUTH-1"))
    case = CareRequest.objects.get()
    care_request_transition(care_request=case, name="auto_approve", actor=None, system=True)
    CareRequest.objects.filter(pk=case.pk).update(auth_number="PA0000123")
    again = post(pas_client, SUBMIT, bundle_for(example_member, identifier="AUTH-1")).json()
    claim_response = again["entry"][0]["resource"]
    assert review_actions(again) == {1: "A1"}
    assert claim_response["preAuthRef"] == "PA0000123"
    assert claim_response["outcome"] == "complete"
    assert response.json()["entry"][0]["resource"]["outcome"] == "queued"


@pytest.mark.django_db
def test_modified_line_is_a6_with_the_authorized_version_in_add_item(
    pas_client, bundle_for, example_member
):
    from intake.models import ServiceLine
    from intake.services.transitions import care_request_transition

    post(
        pas_client,
        SUBMIT,
        bundle_for(
            example_member,
            identifier="MOD-1",
            items=[{"system": CPT, "code": "97110", "quantity": 12}],
        ),
    )
    case = CareRequest.objects.get()
    care_request_transition(care_request=case, name="auto_approve", actor=None, system=True)
    line = case.service_lines.get()
    ServiceLine.objects.filter(pk=line.pk).update(decision="modified", approved_units=6)
    CareRequest.objects.filter(pk=case.pk).update(auth_number="PA77")
    body = post(
        pas_client,
        SUBMIT,
        bundle_for(
            example_member,
            identifier="MOD-1",
            items=[{"system": CPT, "code": "97110", "quantity": 12}],
        ),
    ).json()
    claim_response = body["entry"][0]["resource"]
    assert review_actions(body) == {1: "A6"}
    add_item = claim_response["addItem"][0]
    assert add_item["itemSequence"] == [1]
    assert add_item["quantity"]["value"] == 6
    assert add_item["productOrService"]["coding"][0] == {"system": CPT, "code": "97110"}


@pytest.mark.django_db
def test_closed_not_required_is_na(pas_client, bundle_for, example_member, intake_specialist):
    from intake.services.workflow import care_request_close_not_required

    post(pas_client, SUBMIT, bundle_for(example_member, identifier="NA-1"))
    care_request_close_not_required(care_request=CareRequest.objects.get(), actor=intake_specialist)
    body = post(pas_client, SUBMIT, bundle_for(example_member, identifier="NA-1")).json()
    assert review_actions(body) == {1: "NA"}


@pytest.mark.django_db
def test_submit_needs_a_bearer_token(client, bundle_for, example_member):
    response = post(client, SUBMIT, bundle_for(example_member))
    assert response.status_code == 401
    assert response.json()["resourceType"] == "OperationOutcome"
    assert counts() == (0, 0)


@pytest.mark.django_db
def test_staff_tokens_cannot_submit_pas(api_staff_client, bundle_for, example_member):
    response = post(api_staff_client, SUBMIT, bundle_for(example_member))
    assert response.status_code == 403
    assert counts() == (0, 0)


@pytest.fixture
def api_staff_client(nurse):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {Token.objects.create(user=nurse).key}")
    return client


@pytest.mark.django_db
def test_submission_record_keeps_the_request(pas_client, bundle_for, example_member):
    bundle = bundle_for(example_member, identifier="REC-1")
    post(pas_client, SUBMIT, bundle)
    submission = PasSubmission.objects.get()
    assert submission.request_bundle == bundle
    assert submission.item_sequences == [1]
    assert submission.claim_identifier_value == "REC-1"


@pytest.mark.django_db
def test_the_bundle_may_come_wrapped_in_parameters_as_a_fhir_operation_call(
    pas_client, bundle_for, example_member
):
    """An operation's input may be posted as a Parameters resource; PAS names it `resource`.
    Wrapped or not, it is the same request (one case)."""
    bundle = bundle_for(example_member, identifier="CLAIM-PARAMS")
    wrapped = {
        "resourceType": "Parameters",
        "parameter": [{"name": "resource", "resource": bundle}],
    }
    first = post(pas_client, SUBMIT, wrapped)
    assert first.status_code == 200, first.json()
    assert first.json()["entry"][0]["resource"]["resourceType"] == "ClaimResponse"
    again = post(pas_client, SUBMIT, bundle)
    assert counts() == (1, 1)
    assert again.json()["entry"][0]["resource"]["id"] == first.json()["entry"][0]["resource"]["id"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "parameters",
    [
        [],
        [{"name": "bundle", "resource": {"resourceType": "Bundle"}}],
        [{"name": "resource"}],
        [{"name": "resource", "resource": {}}, {"name": "resource", "resource": {}}],
    ],
)
def test_parameters_without_exactly_one_resource_is_an_operation_outcome(pas_client, parameters):
    response = post(pas_client, SUBMIT, {"resourceType": "Parameters", "parameter": parameters})
    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"
    assert counts() == (0, 0)
