from decimal import Decimal

from reports.selectors import timeliness
from tests.reports.conftest import H


def test_timeliness_by_month_priority_and_line(dataset):
    rows = timeliness.timeliness(dataset.filters())
    table = {(r.month.isoformat(), r.priority, r.lob): r for r in rows}
    assert list(table) == [
        ("2025-03-01", "expedited", "medicare_advantage"),
        ("2025-03-01", "standard", "medicaid"),
        ("2025-03-01", "standard", "medicare_advantage"),
    ]
    standard = table[("2025-03-01", "standard", "medicare_advantage")]
    # S4 decided exactly at the deadline and S2 within its extension are on time; S5 is late.
    assert (standard.decided, standard.on_time, standard.late) == (6, 5, 1)
    assert standard.on_time_rate == Decimal("83.3")
    # S1's letter went out before the deadline, S5's after; no other case has a sent letter.
    assert (standard.notified_on_time, standard.notified_late, standard.not_notified) == (1, 1, 4)
    expedited = table[("2025-03-01", "expedited", "medicare_advantage")]
    assert (expedited.decided, expedited.on_time, expedited.late) == (3, 2, 1)
    assert expedited.not_notified == 3


def test_subtotals_add_up(dataset):
    rows = timeliness.timeliness(dataset.filters())
    (total,) = timeliness.subtotals(rows, by="")
    assert (total.decided, total.on_time, total.late) == (10, 8, 2)
    by_lob = {r.lob: (r.decided, r.on_time) for r in timeliness.subtotals(rows, by="lob")}
    assert by_lob == {"medicare_advantage": (9, 7), "medicaid": (1, 1)}
    by_priority = {r.priority: r.decided for r in timeliness.subtotals(rows, by="priority")}
    assert by_priority == {"expedited": 3, "standard": 7}


def test_late_cases_are_listed_latest_first_with_lateness(dataset):
    late = timeliness.as_late_cases(timeliness.late_cases(dataset.filters()))
    assert [c.reference for c in late] == [
        dataset.cases["S5"].reference,
        dataset.cases["E2"].reference,
    ]
    assert [c.lateness for c in late] == [32 * H, 8 * H]
    assert late[0].url == f"/intake/cases/{dataset.cases['S5'].pk}/"


def test_decided_exactly_at_deadline_is_not_late(dataset):
    refs = {c["reference"] for c in timeliness.late_cases(dataset.filters())}
    assert dataset.cases["S4"].reference not in refs
    assert dataset.cases["S2"].reference not in refs  # late against the original date only


def test_timeliness_filters_by_line_of_business(dataset):
    rows = timeliness.timeliness(dataset.filters(lob="medicaid"))
    assert [(r.priority, r.decided, r.on_time) for r in rows] == [("standard", 1, 1)]
