"""The provider's DTR answers to a criteria questionnaire are kept on the case: an auto-approval
rule that asks for them approves a line whose every criterion was attested as met, in the same
$submit (never a denial otherwise), and the nurse sees them beside her own answers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from crd.attestations import attested_criteria_record
from crd.demo import seed_attested_rule
from crd.models import AttestedCriteria
from intake.models import CareRequest, CareRequestStatus, Queue, ServiceCategory
from intake.rules import reference
from intake.rules.versioning import rule_revise
from review.demo_criteria import seed_criteria_sets
from review.models import CriteriaSet, CriterionAnswer
from tests.crd.test_pas_questionnaire_response import criteria_items, questionnaire_response
from tests.factories import ProviderFactory, make_case
from tests.fhir.conftest import CPT, post, review_actions
from tests.fhir.test_attachments import with_documents
from tests.intake.rules_support import auto_rule, checklist_rule, needs_rule
from tests.review.conftest import checklist_requirements, criteria_sets, review_case  # noqa: F401

SUBMIT = "/fhir/Claim/$submit"
SLUG = "lumbar-spine-mri"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def servicing(db):
    return ProviderFactory(organization=None, name="Dr. Susan Watson")


@pytest.fixture
def attested_rule(db):
    """The only auto-approval rule for a lumbar MRI: one unit, a low-back diagnosis and every
    criterion of the lumbar spine MRI set attested as met."""
    seed_criteria_sets()
    needs_rule(code_system="cpt", code_from="99213", requires_auth=False)
    checklist_rule(required=False)
    rule = auto_rule(
        service_codes=["72148"], diagnosis_codes=["M54"], max_units=1, attested_criteria_set=SLUG
    )
    queue = Queue.objects.create(code="imaging", name="Imaging")
    queue.service_categories.add(ServiceCategory.objects.get(code="imaging"))
    reference.snapshot()
    return rule


def _bundle(bundle_for, member, servicing, *answers):
    bundle = bundle_for(
        member,
        items=[{"system": CPT, "code": "72148", "quantity": 1}],
        practitioner_npi=servicing.npi,
    )
    if not answers:
        return bundle
    items = criteria_items()
    for n, value in enumerate(answers, 1):
        items[1]["item"][n - 1]["answer"] = [{"valueBoolean": value}] if value is not None else []
    return with_documents(bundle, questionnaire_response(f"criteria-{SLUG}", items))


def test_all_criteria_attested_met_is_approved_in_the_same_call(
    pas_client, bundle_for, example_member, servicing, attested_rule
):
    response = post(pas_client, SUBMIT, _bundle(bundle_for, example_member, servicing, *[True] * 5))
    assert response.status_code == 200, response.json()
    assert review_actions(response.json()) == {1: "A1"}
    case = CareRequest.objects.get()
    assert case.status == CareRequestStatus.APPROVED
    attested = AttestedCriteria.objects.get(care_request=case)
    assert attested.source == "pas"
    assert attested.answers == {str(n): True for n in range(1, 6)}


def test_one_criterion_answered_no_is_pended_and_the_explanation_names_it(
    pas_client, bundle_for, example_member, servicing, attested_rule
):
    bundle = _bundle(bundle_for, example_member, servicing, True, True, False, True, True)
    response = post(pas_client, SUBMIT, bundle)
    assert review_actions(response.json()) == {1: "A4"}
    case = CareRequest.objects.get()
    assert case.status == CareRequestStatus.SUBMITTED  # left for people, never denied
    explanation = " ".join(case.rule_evaluations.get().explanation)
    assert f"criteria set {SLUG} not attested as met: criterion 3 was answered no" in explanation


def test_an_unanswered_criterion_is_pended(
    pas_client, bundle_for, example_member, servicing, attested_rule
):
    bundle = _bundle(bundle_for, example_member, servicing, True, None, True, True, True)
    post(pas_client, SUBMIT, bundle)
    case = CareRequest.objects.get()
    assert case.status == CareRequestStatus.SUBMITTED
    assert "criterion 2 was not answered" in " ".join(case.rule_evaluations.get().explanation)


def test_without_a_questionnaire_response_the_request_is_pended(
    pas_client, bundle_for, example_member, servicing, attested_rule
):
    response = post(pas_client, SUBMIT, _bundle(bundle_for, example_member, servicing))
    assert review_actions(response.json()) == {1: "A4"}
    case = CareRequest.objects.get()
    assert case.status == CareRequestStatus.SUBMITTED
    assert f"the provider sent no attested answers for criteria set {SLUG}" in " ".join(
        case.rule_evaluations.get().explanation
    )


def _count(client, bundle) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = post(client, SUBMIT, bundle)
    assert review_actions(response.json()) == {1: "A1"}
    return len(captured)


def test_the_attested_condition_costs_one_query(
    pas_client, bundle_for, example_member, servicing, attested_rule
):
    """The same approved $submit with its criteria response, with and without the rule asking
    for the attestation: reading the case's attestations is one query."""
    with_condition = _count(pas_client, _bundle(bundle_for, example_member, servicing, *[True] * 5))
    CareRequest.objects.update(status=CareRequestStatus.WITHDRAWN)  # no duplicate of the first
    attested_rule.attested_criteria_set = ""
    rule_revise(rule=attested_rule, actor=None)
    reference.snapshot()
    without = _count(pas_client, _bundle(bundle_for, example_member, servicing, *[True] * 5))
    assert with_condition == without + 1


def test_the_nurse_sees_the_attested_answers_and_they_are_not_hers(
    client_for,
    review_case,  # noqa: F811
    nurse,
    provider_user,
):
    case = review_case(code="72148")
    response = {
        "questionnaire": f"http://testserver/fhir/Questionnaire/criteria-{SLUG}|1",
        "item": criteria_items()[1:],
    }
    response["item"][0]["item"][3]["answer"] = [{"valueBoolean": False}]
    attested_criteria_record(care_request=case, response=response, source="portal", actor=None)
    body = client_for(nurse).get(reverse("review:nurse_review", args=[case.pk])).content.decode()
    assert body.count("Provider attested (DTR)") == 5
    assert body.count('data-attested="yes"') == 4
    assert body.count('data-attested="no"') == 1
    assert " checked" not in body  # shown beside the choices, not chosen for her
    assert not CriterionAnswer.objects.exists()


def test_a_response_to_no_criteria_questionnaire_records_nothing(review_case):  # noqa: F811
    case = review_case(code="72148")
    response = {"questionnaire": "http://testserver/fhir/Questionnaire/checklist-x|1"}
    assert (
        attested_criteria_record(care_request=case, response=response, source="pas", actor=None)
        is None
    )
    assert not AttestedCriteria.objects.exists()


def test_the_portal_dtr_page_records_the_answers(client_for, provider_user, organization, rules):
    draft = make_case(
        actor=provider_user,
        organization=organization,
        submit=False,
        channel=CareRequest.Channel.PORTAL,
    )
    data = {"case": draft.pk, "questionnaire": f"criteria-{SLUG}", "q-diagnoses": "M54.16"}
    data |= {f"q-criterion-{n}": "yes" for n in range(1, 5)}  # the fifth left unanswered
    response = client_for(provider_user).post("/portal/dtr/", data)
    assert response.status_code == 302
    attested = AttestedCriteria.objects.get(care_request=draft)
    assert (attested.source, attested.recorded_by) == ("portal", provider_user)
    assert attested.answers == {"1": True, "2": True, "3": True, "4": True, "5": None}


def test_the_demo_rule_asks_for_the_attested_lumbar_criteria(rules):
    first = seed_attested_rule(log=lambda *_: None)
    assert seed_attested_rule(log=lambda *_: None) == first
    assert (first.attested_criteria_set, first.service_codes) == (SLUG, ["72148"])


def test_answers_to_a_replaced_criteria_version_do_not_approve(
    pas_client, bundle_for, example_member, servicing, attested_rule
):
    CriteriaSet.objects.filter(slug=SLUG).update(is_current=False)
    CriteriaSet.objects.create(
        slug=SLUG, version=2, name="MRI of the lumbar spine", codes=["72148"]
    )
    post(pas_client, SUBMIT, _bundle(bundle_for, example_member, servicing, *[True] * 5))
    case = CareRequest.objects.get()
    assert case.status == CareRequestStatus.SUBMITTED
    assert "the answers are to version 1, no longer current" in " ".join(
        case.rule_evaluations.get().explanation
    )
