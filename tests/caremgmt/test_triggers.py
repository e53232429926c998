"""Referral rules of each kind refer the member once, however often they fire."""

import pytest
from django.utils import timezone

from caremgmt.models import Referral, ReferralRule
from caremgmt.services.triggers import referral_rules_run_for_case, referral_stays_sweep
from review.services.nurse_review import care_request_nurse_approve
from tests.caremgmt.conftest import days_ago_at_noon, discharge, imaging
from tests.factories import CoverageFactory
from tests.review.conftest import answer_all
from um_portal.audit.models import AuditEvent

K = ReferralRule.Kind
pytestmark = pytest.mark.django_db


def run(case) -> int:
    return referral_rules_run_for_case(care_request_id=case.pk)


def test_a_service_code_rule_refers_the_member_once(rule, case):
    transplant = rule(K.SERVICE, codes="47135, 50360", reason="Transplant.")
    liver = case(code="47135", category_code="surgery")

    assert run(liver) == 1
    assert run(liver) == 0  # fired again: still one referral
    referral = Referral.objects.get()
    assert (referral.member_id, referral.rule, referral.care_request_id, referral.status) == (
        liver.member_id,
        transplant,
        liver.pk,
        "new",
    )
    assert referral.reason == "Transplant."
    assert referral.created_by is None
    assert AuditEvent.objects.filter(action="referral_create", case_id=liver.pk).count() == 1


def test_a_second_case_of_the_same_member_does_not_refer_again(rule, case):
    rule(K.SERVICE, codes="47135")
    first = case(code="47135")
    second = case(code="47135", coverage=first.coverage)
    assert (run(first), run(second)) == (1, 0)
    assert Referral.objects.count() == 1


def test_a_service_category_rule_matches_any_line_of_the_category(rule, case):
    rule(K.SERVICE, service_category=imaging())
    assert run(case(code="99999", category_code="surgery")) == 0
    assert run(case(code="72148", category_code="imaging")) == 1


def test_a_service_code_that_is_not_listed_does_not_refer(rule, case):
    rule(K.SERVICE, codes="47135")
    assert run(case(code="72148")) == 0
    assert not Referral.objects.exists()


def test_a_diagnosis_rule_matches_icd10_prefixes_with_or_without_the_dot(rule, case):
    rule(K.DIAGNOSIS, codes="N18.6 I50")
    assert run(case(diagnoses=("N18.4",))) == 0
    assert run(case(diagnoses=("M54.16", "N186"))) == 1
    assert run(case(diagnoses=("I50.22",))) == 1
    assert Referral.objects.count() == 2


def test_an_inactive_rule_never_refers(rule, case):
    rule(K.DIAGNOSIS, codes="M54", is_active=False)
    assert run(case(diagnoses=("M54.16",))) == 0


@pytest.mark.parametrize(("days_ago", "referred"), [(6, 0), (7, 1), (9, 1)])
def test_the_sweep_refers_a_stay_longer_than_n_days(rule, stay_for, days_ago, referred):
    """Admitted 7 days ago, in house today: 8 inpatient days (the admission day counts), more
    than 7. Admitted 6 days ago: 7 days, not more."""
    long_stay = rule(K.LENGTH_OF_STAY, days=7)
    stay = stay_for(days_ago=days_ago)

    counts = referral_stays_sweep(timezone.now())
    assert counts == ({"care_referrals": 1} if referred else {})
    assert referral_stays_sweep(timezone.now()) == {}  # once
    if referred:
        referral = Referral.objects.get()
        assert (referral.rule, referral.stay, referral.member_id) == (
            long_stay,
            stay,
            stay.member_id,
        )
        assert referral.care_request == stay.reviews.get().care_request


def test_the_sweep_ignores_a_discharged_stay(rule, stay_for, intake_specialist):
    rule(K.LENGTH_OF_STAY, days=3)
    stay = stay_for(days_ago=9)
    discharge(stay, actor=intake_specialist, at=days_ago_at_noon(1))
    assert referral_stays_sweep(timezone.now()) == {}


@pytest.mark.parametrize(("discharged_days_ago", "referred"), [(29, True), (31, False)])
def test_a_second_admission_within_30_days_is_a_readmission(
    rule, stay_for, intake_specialist, discharged_days_ago, referred
):
    rule(K.READMISSION, days=30)
    coverage = CoverageFactory()
    first = stay_for(days_ago=discharged_days_ago + 4, coverage=coverage)
    discharge(first, actor=intake_specialist, at=days_ago_at_noon(discharged_days_ago))
    # Someone else's discharge a week ago is no readmission of this member.
    other = stay_for(days_ago=10)
    discharge(other, actor=intake_specialist, at=days_ago_at_noon(7))
    second = stay_for(days_ago=1, coverage=coverage)

    referral_stays_sweep(timezone.now())
    referral_stays_sweep(timezone.now())
    assert list(Referral.objects.values_list("stay", flat=True)) == (
        [second.pk] if referred else []
    )


def test_the_case_check_sees_the_stay_of_a_concurrent_review(rule, stay_for):
    rule(K.LENGTH_OF_STAY, days=5)
    stay = stay_for(days_ago=8)
    assert run(stay.reviews.get().care_request) == 1
    assert Referral.objects.get().stay == stay


def test_an_approval_runs_the_rules_after_commit(
    rule, review_case, nurse, django_capture_on_commit_callbacks
):
    rule(K.SERVICE, codes="72148")
    case = review_case(assign_to=nurse)  # triaged: not a decision, nothing referred
    answer_all(case, nurse, "met")
    assert not Referral.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        care_request_nurse_approve(care_request=case, nurse=nurse, summary="All met.")
    assert Referral.objects.get().care_request_id == case.pk


def test_a_transition_that_is_no_approval_refers_nobody(
    rule, case, intake_specialist, django_capture_on_commit_callbacks
):
    from intake.services.workflow import care_request_withdraw

    rule(K.SERVICE, codes="72148")
    received = case()
    with django_capture_on_commit_callbacks(execute=True):
        care_request_withdraw(care_request=received, actor=intake_specialist, reason="Duplicate.")
    assert not Referral.objects.exists()


def test_reviews_clock_sweep_runs_the_stays_check(rule, stay_for):
    from review.services.clocks import clocks_sweep_run

    rule(K.LENGTH_OF_STAY, days=7)
    stay = stay_for(days_ago=9)
    counts = clocks_sweep_run(now=timezone.now())
    assert counts["care_referrals"] == 1
    assert Referral.objects.get().stay == stay
