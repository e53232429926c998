"""Needs assessment: which services need prior authorization, and closing when none does."""

import pytest

from intake.models import (
    CareRequest,
    LineOfBusiness,
    Provider,
    RuleEvaluation,
    ServiceLine,
)
from intake.rules.engine import assess_needs
from intake.services.receipt import care_request_submit
from tests.factories import CoverageFactory, PlanFactory, make_case
from tests.intake import rules_support
from tests.intake.rules_support import add_line, needs_rule

pytestmark = pytest.mark.django_db
notices = rules_support.notices


def _needs(case):
    case = CareRequest.objects.select_related("coverage__plan", "servicing_provider").get(
        pk=case.pk
    )
    return assess_needs(case, list(case.service_lines.all()))


def test_without_a_matching_rule_authorization_is_required(intake_specialist):
    case = make_case(actor=intake_specialist, code="72148")
    assert case.status == "submitted"
    [result] = _needs(case)
    assert (result.requires_auth, result.rule) == (True, None)
    [evaluation] = case.rule_evaluations.all()
    assert evaluation.outcome == RuleEvaluation.Outcome.INTAKE
    assert evaluation.explanation[0] == (
        "Line 1 (CPT 72148): authorization required — no needs-assessment rule covers this "
        "service, so it is reviewed."
    )


@pytest.mark.parametrize(
    ("code", "matches"),
    [
        ("99202", True),
        ("99214", True),
        ("99215", True),
        ("99201", False),
        ("99216", False),
        ("9921", False),
    ],
)
def test_code_range_is_inclusive_and_of_the_same_width(code, matches):
    rule = needs_rule(code_system="cpt", code_from="99202", code_to="99215")
    assert rule.code_matches(code) is matches


def test_single_code_rule_matches_only_that_code():
    rule = needs_rule(code_from="E0601")
    assert (rule.code_matches("E0601"), rule.code_matches("E0602")) == (True, False)


def test_no_line_needing_authorization_closes_the_request_with_the_rule_version(
    intake_specialist, notices
):
    rule = needs_rule(name="Office visits", code_system="cpt", code_from="99202", code_to="99215")
    case = make_case(actor=intake_specialist, code="99214", category_code="office-visit")
    assert case.status == "closed_no_auth_required"
    assert list(case.service_lines.values_list("decision", flat=True)) == ["not_required"]
    assert list(case.status_events.values_list("transition", "actor")) == [
        ("submit", intake_specialist.pk),
        ("close_not_required", None),
    ]
    [evaluation] = case.rule_evaluations.all()
    assert evaluation.outcome == "not_required"
    assert evaluation.fired == [
        {
            "type": "needs_assessment",
            "id": rule.pk,
            "key": rule.key,
            "version": 1,
            "name": "Office visits",
            "line": 1,
            "result": "not_required",
        }
    ]
    assert evaluation.explanation == [
        "Line 1 (CPT 99214): no authorization required — needs-assessment rule “Office visits "
        "v1” (99202–99215).",
        "No service on the request needs prior authorization: closed as not required.",
    ]
    [notice] = notices
    assert (notice.outcome, notice.source, notice.actor) == ("not_required", "rules", None)
    assert notice.rules_version == {
        "needs_assessment": {rule.key: 1},
        "evaluation": str(evaluation.pk),
    }


def test_lines_that_need_no_authorization_are_marked_and_the_rest_go_to_intake(
    intake_specialist, notices
):
    needs_rule(code_from="72148", requires_auth=False)
    draft = make_case(actor=intake_specialist, code="72148", submit=False)
    add_line(draft, code="72149")
    case = care_request_submit(care_request=draft, actor=intake_specialist)
    assert case.status == "submitted"
    assert dict(case.service_lines.values_list("code", "decision")) == {
        "72148": "not_required",
        "72149": "pending",
    }
    assert notices == []


def test_first_rule_by_order_decides():
    needs_rule(key="late", order=50, code_from="72148", requires_auth=False)
    early = needs_rule(
        key="early", order=10, code_from="70010", code_to="79999", requires_auth=True
    )
    plan_case = make_case(actor=None, code="72148", submit=False)
    [result] = _needs(plan_case)
    assert (result.requires_auth, result.rule) == (True, early)


def test_line_of_business_plan_place_of_service_and_network_conditions(intake_specialist):
    medicaid = PlanFactory(line_of_business=LineOfBusiness.MEDICAID)
    case = make_case(
        actor=intake_specialist, code="72148", coverage=CoverageFactory(plan=medicaid), submit=False
    )
    ServiceLine.objects.filter(care_request=case).update(place_of_service="11")
    other_plan = PlanFactory()
    checks = [
        (dict(line_of_business=LineOfBusiness.COMMERCIAL), False),
        (dict(line_of_business=LineOfBusiness.MEDICAID), True),
        (dict(plan=other_plan), False),
        (dict(plan=medicaid), True),
        (dict(places_of_service=["22"]), False),
        (dict(places_of_service=["11", "22"]), True),
        (dict(network_status="out"), False),
        (dict(network_status="in"), True),
        (dict(code_system="hcpcs"), False),
    ]
    for conditions, matches in checks:
        rule = needs_rule(code_from="72148", **conditions)
        [result] = _needs(case)
        assert (result.rule == rule) is matches, conditions
        type(rule).objects.filter(pk=rule.pk).update(is_current=False)
    Provider.objects.filter(pk=case.servicing_provider_id).update(network_status="out")
    rule = needs_rule(code_from="72148", network_status="out")
    assert _needs(case)[0].rule == rule


def test_inactive_and_replaced_versions_do_not_fire(intake_specialist):
    needs_rule(code_from="72148", is_active=False)
    needs_rule(code_from="72148", is_current=False, key="old")
    case = make_case(actor=intake_specialist, code="72148")
    assert case.status == "submitted"
    assert _needs(case)[0].rule is None
