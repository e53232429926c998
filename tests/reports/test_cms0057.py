from datetime import timedelta
from decimal import Decimal

import pytest

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


def test_items_requiring_authorization_are_services_decided_under_prior_auth(dataset):
    items = authorization_required_items(None, "medicare_advantage")
    assert [(i.category, i.code) for i in items] == [
        ("Advanced imaging", "72148"),
        ("Advanced imaging", "73721"),
        ("Outpatient surgery", "29881"),
    ]
    # 99213 closed as not required and the Medicaid plan's 70553 are not on the list.
    assert items[0].description == "Service 72148"


def test_items_for_one_plan_are_limited_to_its_covered_categories(dataset):
    dataset.ma_plan.covered_categories.set([])
    assert authorization_required_items(dataset.ma_plan, "") == []
    medicaid = authorization_required_items(dataset.medicaid_plan, "")
    assert [i.code for i in medicaid] == ["70553"]


@pytest.mark.parametrize("in_database", [True, False])
def test_both_percentile_paths_give_the_report_numbers(dataset, in_database, require_postgres):
    s = cms0057_report(year=2025, lob="medicare_advantage", in_database=in_database).standard
    assert (s.time.median, s.time.p90) == (96 * H, 216 * H)
