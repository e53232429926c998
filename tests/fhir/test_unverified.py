"""Real-world PAS bundles: the shared examples unmodified (unknown member, NPIs failing the
check digit) are received, pended for intake with an internal note and answered with warnings."""

import pytest

from intake.models import (
    CareRequest,
    CareRequestStatus,
    CaseNote,
    Coverage,
    EligibilityCheck,
    LineOfBusiness,
    Member,
    Provider,
    RuleEvaluation,
)
from tests.factories import PlanFactory, valid_npi
from tests.fhir.conftest import CPT, counts, load_fixture, post, review_actions
from tests.intake.rules_support import auto_rule

SUBMIT = "/fhir/Claim/$submit"
INQUIRE = "/fhir/Claim/$inquire"


def warnings_of(body: dict) -> list[str]:
    outcomes = [
        e["resource"] for e in body["entry"] if e["resource"]["resourceType"] == "OperationOutcome"
    ]
    assert len(outcomes) <= 1
    issues = outcomes[0]["issue"] if outcomes else []
    assert all(i["severity"] == "warning" for i in issues)
    notes = [n["text"] for n in body["entry"][0]["resource"].get("processNote", [])]
    assert notes == [i["diagnostics"] for i in issues]
    return notes


@pytest.fixture
def plans(db):
    """Two plans, neither named like the examples' insurer; Medicare Advantage has the shorter
    standard turnaround (7 days against commercial 15)."""
    return {
        "commercial": PlanFactory(
            name="A Commercial PPO", line_of_business=LineOfBusiness.COMMERCIAL
        ),
        "medicare": PlanFactory(
            name="B Medicare Advantage", line_of_business=LineOfBusiness.MEDICARE_ADVANTAGE
        ),
    }


@pytest.mark.django_db
def test_shared_single_item_example_unmodified_is_pended_for_intake(
    pas_client, organization, plans
):
    response = post(pas_client, SUBMIT, load_fixture("submit-referral-single-item.json"))
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["entry"][0]["resource"]["resourceType"] == "ClaimResponse"
    assert review_actions(body) == {1: "A4"}
    assert body["entry"][0]["resource"]["outcome"] == "queued"
    assert warnings_of(body) == [
        "Member ID 12345678901 is not a verified member of ours: the request is pended until "
        "intake verifies the member's coverage.",
        "NPI 8189991234 fails the NPI check digit: the request is pended until intake "
        "verifies the provider.",
        "NPI 987654321 fails the NPI check digit: the request is pended until intake "
        "verifies the provider.",
    ]

    case = CareRequest.objects.select_related("member", "coverage__plan").get()
    assert case.status == CareRequestStatus.SUBMITTED
    member = case.member
    assert (member.first_name, member.last_name, member.birth_date, member.sex) == (
        "JOE",
        "SMITH",
        None,
        "M",
    )
    coverage = case.coverage
    assert (coverage.member_number, coverage.status) == ("12345678901", Coverage.Status.UNVERIFIED)
    # No plan is called MARYLAND CAPITAL INSURANCE COMPANY: the shortest-clock plan stands in.
    assert coverage.plan == plans["medicare"]
    requester = Provider.objects.get(npi="8189991234")
    assert (requester.name, requester.network_status, requester.organization) == (
        "DR. JOE SMITH CORPORATION",
        "out",
        organization,
    )
    servicing = Provider.objects.get(npi="987654321")
    assert (servicing.name, servicing.network_status, servicing.organization) == (
        "SUSAN WATSON",
        "out",
        None,
    )
    assert (case.requesting_provider, case.servicing_provider) == (requester, servicing)

    note = CaseNote.objects.get(care_request=case)
    assert note.visibility == CaseNote.Visibility.INTERNAL
    assert note.body == (
        "Received through PAS Claim/$submit. Intake must verify before review:\n"
        "- Member ID 12345678901 (JOE SMITH) was not on file: the member and coverage were "
        "created from this submission and are unverified. Verify the member's identity, plan "
        "and eligibility.\n"
        "- No plan matches the payer or plan names sent (MARYLAND CAPITAL INSURANCE COMPANY): "
        "B Medicare Advantage was assigned as a placeholder; correct the plan.\n"
        "- The submission gave no birth date for the member.\n"
        "- Claim.provider: NPI 8189991234 (DR. JOE SMITH CORPORATION) fails the NPI check "
        "digit. Verify the provider's NPI and network status.\n"
        "- Claim.careTeam[0].provider: NPI 987654321 (SUSAN WATSON) fails the NPI check digit. "
        "Verify the provider's NPI and network status."
    )
    evaluation = RuleEvaluation.objects.get(care_request=case)
    assert evaluation.outcome == RuleEvaluation.Outcome.INTAKE
    assert evaluation.explanation[-1] == "Not assessed by the rules: the request goes to intake."
    assert not EligibilityCheck.objects.filter(care_request=case).exists()


@pytest.mark.django_db
def test_shared_multiple_items_example_unmodified_pends_every_item(pas_client, plans):
    response = post(pas_client, SUBMIT, load_fixture("submit-referral-multiple-items.json"))
    assert response.status_code == 200, response.json()
    assert review_actions(response.json()) == {1: "A4", 2: "A4"}
    assert CareRequest.objects.get().service_lines.count() == 2


@pytest.mark.django_db
def test_resubmitting_the_unmodified_example_creates_nothing_more(pas_client, plans):
    bundle = load_fixture("submit-referral-single-item.json")
    first = post(pas_client, SUBMIT, bundle).json()
    second = post(pas_client, SUBMIT, bundle)
    assert second.status_code == 200
    assert second.json()["entry"][0]["resource"]["id"] == first["entry"][0]["resource"]["id"]
    assert review_actions(second.json()) == {1: "A4"}
    assert counts() == (1, 1)
    assert (Member.objects.count(), Coverage.objects.count(), CaseNote.objects.count()) == (1, 1, 1)
    assert Provider.objects.filter(npi__in=["8189991234", "987654321"]).count() == 2


@pytest.mark.django_db
def test_inquiry_example_after_the_unmodified_submission_answers_the_current_state(
    pas_client, plans
):
    submitted = post(pas_client, SUBMIT, load_fixture("submit-referral-single-item.json")).json()
    response = post(pas_client, INQUIRE, load_fixture("inquire-referral.json"))
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["entry"][0]["resource"]["id"] == submitted["entry"][0]["resource"]["id"]
    assert review_actions(body) == {1: "A4"}
    assert len(warnings_of(body)) == 3
    assert counts() == (1, 1)


@pytest.mark.django_db
def test_unmodified_nonconformant_example_is_refused_and_creates_nothing(pas_client, plans):
    response = post(pas_client, SUBMIT, load_fixture("submit-nonconformant.json"))
    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"
    assert counts() == (0, 0)
    assert (Member.objects.count(), Coverage.objects.count()) == (0, 0)


@pytest.mark.django_db
def test_unknown_member_gets_the_plan_named_by_the_insurer(pas_client, bundle_for, example_member):
    """make_bundle names the insurer "Sunrise Health Plan"; a plan of that name is chosen."""
    plan = PlanFactory(name="Sunrise Health Plan", line_of_business=LineOfBusiness.COMMERCIAL)
    PlanFactory(name="AAA Medicare", line_of_business=LineOfBusiness.MEDICARE_ADVANTAGE)
    bundle = bundle_for(example_member)
    patient = bundle["entry"][1]["resource"]
    patient["identifier"][0]["value"] = "NEW-4711"
    bundle["entry"][2]["resource"]["subscriberId"] = "NEW-4711"
    response = post(pas_client, SUBMIT, bundle)
    assert response.status_code == 200, response.json()
    case = CareRequest.objects.get()
    assert (case.coverage.plan, case.coverage.status) == (plan, Coverage.Status.UNVERIFIED)
    assert case.member.birth_date == example_member.member.birth_date
    assert "placeholder" not in CaseNote.objects.get(care_request=case).body
    assert review_actions(response.json()) == {1: "A4"}


@pytest.mark.django_db
def test_a_later_request_for_the_same_unknown_member_reuses_the_unverified_coverage(
    pas_client, plans
):
    bundle = load_fixture("submit-referral-single-item.json")
    post(pas_client, SUBMIT, bundle)
    bundle["entry"][0]["resource"]["identifier"][0]["value"] = "111100"
    response = post(pas_client, SUBMIT, bundle)
    assert response.status_code == 200, response.json()
    assert review_actions(response.json()) == {1: "A4"}
    assert CareRequest.objects.count() == 2
    assert (Member.objects.count(), Coverage.objects.count()) == (1, 1)
    later = CareRequest.objects.get(external_id="111100")
    assert "came with an earlier submission" in CaseNote.objects.get(care_request=later).body


@pytest.fixture
def knee_rule(db):
    return auto_rule(
        code_system="cpt", service_codes=["73721"], diagnosis_codes=["M23.2"], max_units=1
    )


def _knee_bundle(bundle_for, coverage, **kwargs):
    return bundle_for(
        coverage,
        items=[{"system": CPT, "code": "73721", "quantity": 1}],
        diagnoses=("M23.221",),
        **kwargs,
    )


@pytest.mark.django_db
def test_known_member_with_valid_npis_is_auto_approved(
    pas_client, bundle_for, example_member, knee_rule, servicing
):
    """The control for the next test: the same request with valid NPIs is approved at once."""
    bundle = _knee_bundle(bundle_for, example_member, practitioner_npi=servicing.npi)
    response = post(pas_client, SUBMIT, bundle)
    assert response.status_code == 200, response.json()
    assert review_actions(response.json()) == {1: "A1"}
    assert warnings_of(response.json()) == []
    assert CareRequest.objects.get().status == CareRequestStatus.APPROVED


@pytest.mark.django_db
def test_requester_npi_failing_the_check_digit_is_a_warning_and_the_request_is_pended(
    pas_client, bundle_for, example_member, knee_rule, servicing
):
    good_npi = valid_npi()
    bad_npi = good_npi[:9] + str((int(good_npi[9]) + 1) % 10)  # the check digit off by one
    bundle = _knee_bundle(
        bundle_for, example_member, practitioner_npi=servicing.npi, requester_npi=bad_npi
    )
    response = post(pas_client, SUBMIT, bundle)
    assert response.status_code == 200, response.json()
    assert review_actions(response.json()) == {1: "A4"}
    assert warnings_of(response.json()) == [
        f"NPI {bad_npi} fails the NPI check digit: the request is pended until intake "
        "verifies the provider."
    ]
    case = CareRequest.objects.get()
    assert case.status == CareRequestStatus.SUBMITTED
    assert case.requesting_provider.network_status == "out"
    assert f"Claim.provider: NPI {bad_npi} (Lakeside Spine Group) fails the NPI check digit" in (
        CaseNote.objects.get(care_request=case).body
    )


@pytest.mark.django_db
def test_intake_sees_the_unverified_member_without_a_birth_date_and_eligibility_fails(
    pas_client, plans, client_for, intake_specialist
):
    from django.urls import reverse

    from intake.services.eligibility import eligibility_check_record

    post(pas_client, SUBMIT, load_fixture("submit-referral-single-item.json"))
    case = CareRequest.objects.get()
    page = client_for(intake_specialist).get(reverse("intake:case", args=[case.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "JOE SMITH · birth date not on file · Male" in body
    assert "Unverified (from submission)" in body
    assert "Received through PAS Claim/$submit. Intake must verify before review:" in body
    check = eligibility_check_record(care_request=case, actor=intake_specialist)
    assert (check.eligible, check.coverage_active) == (False, False)


@pytest.mark.django_db
def test_a_new_request_reusing_a_claim_identifier_is_a_new_case(pas_client, plans):
    """The two shared examples share Claim identifier 111099 but ask for different items:
    sent one after the other, each gets its own case and every item is answered."""
    single = post(pas_client, SUBMIT, load_fixture("submit-referral-single-item.json"))
    multiple = post(pas_client, SUBMIT, load_fixture("submit-referral-multiple-items.json"))
    assert (single.status_code, multiple.status_code) == (200, 200)
    assert review_actions(single.json()) == {1: "A4"}
    assert review_actions(multiple.json()) == {1: "A4", 2: "A4"}
    assert sorted(c.service_lines.count() for c in CareRequest.objects.all()) == [1, 2]
    # The same Bundle again (even with a new Bundle id and Claim.created) creates nothing more.
    again = load_fixture("submit-referral-multiple-items.json")
    again["id"] = "resent"
    again["entry"][0]["resource"]["created"] = "2026-11-22T10:00:00Z"
    assert review_actions(post(pas_client, SUBMIT, again).json()) == {1: "A4", 2: "A4"}
    assert CareRequest.objects.count() == 2
