from datetime import timedelta
from decimal import Decimal

import pytest

from intake.models import AuthRequirementRule
from reports.selectors.cms0057 import authorization_required_items, cms0057_report
from tests.reports.conftest import H


def test_standard_request_percentages(dataset):
    report = cms0057_report(year=2025, lob="medicare_advantage")
    s = report.standard
    # S1, S2, S9, A1 approved; S3 partially approved; S4, S5 denied. D1 was decided on
    # Dec 31, 2024 in New York (already 2025 in UTC) and belongs to 2024.
    assert (s.decided, s.approved, s.partially_approved, s.denied) == (7, 4, 1, 2)
    assert s.approved_pct == Decimal("57.1")
    assert s.partially_approved_pct == Decimal("14.3")
    assert s.denied_pct == Decimal("28.6")
    assert (s.approved_after_extension, s.approved_after_extension_pct) == (1, Decimal("14.3"))
    assert (s.approved_after_appeal, s.approved_after_appeal_pct) == (1, Decimal("14.3"))


def test_standard_time_from_receipt_to_determination(dataset):
    s = cms0057_report(year=2025, lob="medicare_advantage").standard
    # 0.5, 24, 48, 96, 168, 200, 240 hours
    assert s.time.median == 96 * H
    assert s.time.mean == timedelta(seconds=round(776.5 * 3600 / 7))


def test_expedited_requests(dataset):
    e = cms0057_report(year=2025, lob="medicare_advantage").expedited
    assert (e.decided, e.approved, e.denied) == (3, 2, 1)
    assert e.approved_pct == Decimal("66.7")
    assert e.denied_pct == Decimal("33.3")
    assert e.approved_after_appeal == 0
    assert (e.time.mean, e.time.median) == (40 * H, 30 * H)


def test_year_boundary_is_local_time(dataset):
    s = cms0057_report(year=2024, lob="medicare_advantage").standard
    assert (s.decided, s.approved) == (1, 1)


def test_plan_filter_and_all_plans(dataset):
    medicaid = cms0057_report(year=2025, plan=dataset.medicaid_plan).standard
    assert (medicaid.decided, medicaid.approved, medicaid.approved_pct) == (1, 1, Decimal("100.0"))
    everything = cms0057_report(year=2025).standard
    assert (everything.decided, everything.approved) == (8, 5)


def test_empty_year_has_no_percentages(dataset):
    report = cms0057_report(year=2021)
    assert report.standard.decided == 0
    assert report.standard.approved_pct is None
    assert report.expedited.time.median is None


def rows(items):
    return [(i.category, i.system_label, i.code, i.description, i.conditions) for i in items]


def test_items_requiring_authorization_for_a_line_of_business_come_from_the_rules(auth_rules):
    # Not listed: "not required" rules, the retired imaging v1 and home-health v1, the inactive
    # lab rule, the Medicaid plan's psychotherapy rule, and 99213 (office visits come first).
    assert rows(authorization_required_items(None, "medicare_advantage")) == [
        ("Advanced imaging", "CPT", "70010–79999", "Advanced imaging (MRI, CT, PET)", ""),
        (
            "Durable medical equipment",
            "HCPCS",
            "E0100–E8002",
            "Durable medical equipment",
            "place of service 12; out-of-network providers only",
        ),
        ("Outpatient surgery", "CPT", "10004–69990", "Surgical procedures", ""),
    ]


def test_items_for_one_plan_include_its_own_rules_only(auth_rules, dataset):
    # The Medicaid plan: no surgery rule (Medicare Advantage only), its own psychotherapy rule;
    # its knee MRI exception pre-empts only 73721, so imaging as a whole stays listed.
    assert rows(authorization_required_items(dataset.medicaid_plan, "")) == [
        ("Advanced imaging", "CPT", "70010–79999", "Advanced imaging (MRI, CT, PET)", ""),
        ("Behavioural health", "CPT", "90785–90899", "Psychotherapy", ""),
        (
            "Durable medical equipment",
            "HCPCS",
            "E0100–E8002",
            "Durable medical equipment",
            "place of service 12; out-of-network providers only",
        ),
    ]
    assert [i.code for i in authorization_required_items(dataset.ma_plan, "")] == [
        "70010–79999",
        "E0100–E8002",
        "10004–69990",
    ]


def test_items_for_every_plan_state_each_rules_plan_and_line_of_business(auth_rules):
    assert [(i.code, i.conditions) for i in authorization_required_items(None, "")] == [
        ("70010–79999", ""),
        ("90785–90899", "Harbor Medicaid only"),
        ("E0100–E8002", "place of service 12; out-of-network providers only"),
        ("10004–69990", "Medicare Advantage only"),
    ]


def test_a_not_required_rule_for_the_same_plan_preempts_a_later_required_rule(dataset):
    AuthRequirementRule.objects.create(
        key="mri-free",
        name="Knee MRI",
        order=1,
        code_system="cpt",
        code_from="73700",
        code_to="73799",
        plan=dataset.medicaid_plan,
        requires_auth=False,
    )
    AuthRequirementRule.objects.create(
        key="knee-mri",
        name="Knee MRI",
        order=2,
        code_system="cpt",
        code_from="73721",
        requires_auth=True,
    )
    assert authorization_required_items(dataset.medicaid_plan, "") == []
    assert [i.code for i in authorization_required_items(dataset.ma_plan, "")] == ["73721"]


def test_without_rules_no_item_is_listed(dataset):
    assert authorization_required_items(None, "") == []


@pytest.mark.parametrize("in_database", [True, False])
def test_both_percentile_paths_give_the_report_numbers(dataset, in_database, require_postgres):
    s = cms0057_report(year=2025, lob="medicare_advantage", in_database=in_database).standard
    assert (s.time.median, s.time.p90) == (96 * H, 216 * H)
