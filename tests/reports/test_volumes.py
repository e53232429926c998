from datetime import date, timedelta
from decimal import Decimal

from reports.selectors import volumes
from tests.reports.conftest import H


def test_received_and_decided_per_week_in_the_period(dataset):
    summary = volumes.volume_summary(dataset.filters(lob="medicare_advantage"))
    by_week = {b.start: (b.received, b.decided) for b in summary.buckets}
    # March 2025 spans the weeks of Feb 24 to Mar 31; every case was received in the week of
    # Mar 10; S2 (Mar 20) and S4 / S5 (Mar 17, Mar 18) were decided the week after.
    assert list(by_week) == [
        date(2025, 2, 24),
        date(2025, 3, 3),
        date(2025, 3, 10),
        date(2025, 3, 17),
        date(2025, 3, 24),
        date(2025, 3, 31),
    ]
    assert by_week[date(2025, 3, 10)] == (12, 7)
    assert by_week[date(2025, 3, 17)] == (0, 3)
    assert sum(r for r, _ in by_week.values()) == 12
    assert sum(d for _, d in by_week.values()) == 10


def test_daily_buckets_cover_every_day_with_zeros(dataset):
    buckets = volumes.volumes(dataset.filters(granularity="day", lob="medicare_advantage"))
    assert len(buckets) == 31
    assert buckets[0].start == date(2025, 3, 1)
    day = {b.start: b for b in buckets}
    assert (day[date(2025, 3, 10)].received, day[date(2025, 3, 10)].decided) == (12, 3)
    assert day[date(2025, 3, 11)].decided == 2  # S1 (Mar 11 09:00), E3 (Mar 11 15:00)
    assert day[date(2025, 3, 1)].received == 0


def test_outcomes_count_withdrawn_and_voided_without_a_share(dataset):
    rows = {r.status: r for r in volumes.outcomes(dataset.filters(lob="medicare_advantage"))}
    assert {s: r.count for s, r in rows.items()} == {
        "approved": 5,
        "partially_approved": 1,
        "denied": 3,
        "closed_no_auth_required": 1,
        "withdrawn": 1,
        "voided": 1,
    }
    assert rows["approved"].share == Decimal("55.6")
    assert rows["partially_approved"].share == Decimal("11.1")
    assert rows["denied"].share == Decimal("33.3")
    assert rows["withdrawn"].share is None
    assert rows["voided"].share is None
    assert rows["closed_no_auth_required"].share is None


def test_other_line_of_business_is_filtered_out_but_counted_without_filter(dataset):
    ma = volumes.rates(dataset.filters(lob="medicare_advantage"))
    everything = volumes.rates(dataset.filters())
    by_plan = volumes.rates(dataset.filters(plan=dataset.medicaid_plan))
    assert (ma.received, ma.decided) == (12, 9)
    assert (everything.received, everything.decided) == (13, 10)
    assert (by_plan.received, by_plan.decided) == (1, 1)


def test_category_filter_keeps_cases_with_a_line_in_that_category(dataset, db):
    from intake.models import ServiceCategory

    surgery = ServiceCategory.objects.get(code="surgery")
    rows = {r.status: r.count for r in volumes.outcomes(dataset.filters(category=surgery))}
    assert rows["partially_approved"] == 1
    assert rows["approved"] == 0
    assert rows["denied"] == 0


def test_auto_approval_and_pend_rates(dataset):
    rates = volumes.rates(dataset.filters(lob="medicare_advantage"))
    assert (rates.auto_approved, rates.decided) == (1, 9)
    assert rates.auto_approval_rate == Decimal("11.1")
    assert (rates.pended, rates.received) == (1, 12)
    assert rates.pend_rate == Decimal("8.3")


def test_rates_are_none_when_there_is_nothing_to_divide(dataset):
    rates = volumes.rates(dataset.filters(start=date(2020, 1, 1), end=date(2020, 1, 31)))
    assert rates.auto_approval_rate is None
    assert rates.pend_rate is None


def test_time_to_decision_by_priority_and_line(dataset):
    rows = volumes.time_to_decision(dataset.filters(lob="medicare_advantage"))
    table = {(r.priority, r.lob): r.stats for r in rows}
    assert list(table) == [
        ("standard", "medicare_advantage"),
        ("standard", ""),
        ("expedited", "medicare_advantage"),
        ("expedited", ""),
    ]
    standard = table[("standard", "")]
    # S9 0.5 h, S1 24, S3 48, S4 168, S5 200, S2 240: withdrawn, voided and "not required" are out.
    assert standard.count == 6
    assert standard.median == 108 * H
    assert standard.p90 == 220 * H
    assert standard.mean == timedelta(seconds=round(680.5 * 3600 / 6))
    expedited = table[("expedited", "")]
    assert (expedited.count, expedited.median, expedited.p90, expedited.mean) == (
        3,
        30 * H,
        70 * H,
        40 * H,
    )


def test_time_to_decision_all_lines_row_spans_plans(dataset):
    rows = volumes.time_to_decision(dataset.filters())
    table = {(r.priority, r.lob): r.stats for r in rows}
    assert table[("standard", "medicaid")].count == 1
    assert table[("standard", "medicaid")].median == 5 * H
    assert table[("standard", "")].count == 7
    assert table[("standard", "")].median == 48 * H
