from decimal import Decimal

from reports.selectors import workload


def test_open_cases_by_priority_and_time_left(dataset):
    rows = {
        r.priority: r for r in workload.open_cases_by_time_left(dataset.filters(), now=dataset.now)
    }
    standard, expedited = rows["standard"], rows["expedited"]
    # O1 due in 158 h, O3 overdue 32 h, O4 due in 38 h (< 25 % of 168 h left: at risk).
    assert (standard.open, standard.overdue, standard.at_risk) == (3, 1, 1)
    assert (standard.due_24h, standard.due_72h, standard.due_later) == (0, 1, 1)
    # O2 due in 2 h of 72 h.
    assert (expedited.open, expedited.overdue, expedited.at_risk) == (1, 0, 1)
    assert (expedited.due_24h, expedited.due_72h, expedited.due_later) == (1, 0, 0)


def test_open_cases_ignore_the_period_but_honour_the_line(dataset):
    assert workload.open_cases_by_time_left(dataset.filters(lob="medicaid"), now=dataset.now) == []


def test_cases_at_risk_list_earliest_due_first(dataset, nurse):
    cases = workload.cases_at_risk(dataset.filters(), now=dataset.now)
    c = dataset.cases
    assert [x.reference for x in cases] == [c["O3"].reference, c["O2"].reference, c["O4"].reference]
    assert [x.overdue for x in cases] == [True, False, False]
    assert cases[0].time_left == "overdue 32 h"
    assert cases[0].assignee == nurse.display_name
    assert cases[2].assignee == ""
    assert cases[0].url == f"/intake/cases/{c['O3'].pk}/"


def test_reviewer_workload_counts_open_assigned_cases(dataset, nurse, director):
    rows = workload.reviewer_workload(dataset.filters(), now=dataset.now)
    assert [(r.reviewer, r.open, r.expedited, r.overdue) for r in rows] == [
        (nurse.display_name, 2, 0, 1),
        (director.display_name, 1, 1, 0),
    ]


def test_reviewer_throughput_per_week(dataset, nurse, director):
    rows = workload.reviewer_throughput(dataset.filters(lob="medicare_advantage"))
    by_name = {r.reviewer: r for r in rows}
    # The rules engine's and intake's determinations have no person: left out.
    assert [r.reviewer for r in rows] == [director.display_name, nurse.display_name]
    d = by_name[director.display_name]
    assert d.total == 5  # S3, S4, S5, E2 and the appeal on S5
    assert {w.isoformat(): n for w, n in d.per_week.items()} == {
        "2025-03-10": 2,
        "2025-03-17": 2,
        "2025-03-24": 1,
    }
    assert d.weekly_average == 0.8  # 5 over the 6 weeks that touch March
    n = by_name[nurse.display_name]
    assert (n.total, n.weekly_average) == (4, 0.7)


def test_p2p_outcomes(dataset):
    p2p = workload.p2p_outcomes(dataset.filters())
    assert p2p.by_status == {
        "requested": 0,
        "scheduled": 0,
        "completed": 2,
        "cancelled": 1,
        "no_show": 0,
    }
    assert (p2p.requested, p2p.upheld, p2p.changed) == (3, 1, 1)
    assert p2p.changed_rate == Decimal("50.0")
    assert workload.p2p_outcomes(dataset.filters(lob="medicaid")).requested == 0
