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
    assert (p2p.requested, p2p.completed, p2p.upheld, p2p.changed) == (3, 2, 1, 1)
    assert p2p.changed_rate == Decimal("50.0")
    assert workload.p2p_outcomes(dataset.filters(lob="medicaid")).requested == 0


def test_p2p_changed_rate_counts_every_completed_calls_outcome(dataset, nurse):
    """Issue 14: a call reopened for a new decision line by line changed the decision too, and
    the rate is over the completed calls. Adding to the dataset's S4 upheld and S5 changed: S3
    reopened line by line, a no-show and a second cancellation (requested, not completed).

    By hand: completed 3 (S4, S5, S3); changed 2 (S5 approved, S3 reopened); 2 / 3 = 66.7 %.
    The old formula gave changed / (upheld + changed) = 1 / 2 = 50 %; over every request it
    would be 2 / 6 = 33.3 %."""
    from reports.csv import p2p_rows
    from scheduling.models import PeerToPeer

    c = dataset.cases
    before = PeerToPeer.objects.get(care_request=c["S4"]).requested_at
    for key, status, outcome in (
        ("S3", "completed", "reconsider"),
        ("S3", "no_show", ""),
        ("E1", "cancelled", ""),
    ):
        p2p = PeerToPeer.objects.create(
            care_request=c[key],
            requested_by=nurse,
            provider_contact_name="Dr. Office",
            provider_contact_phone="555-0100",
            status=status,
            outcome=outcome,
        )
        PeerToPeer.objects.filter(pk=p2p.pk).update(requested_at=before)
    p2p = workload.p2p_outcomes(dataset.filters())
    assert (p2p.requested, p2p.completed) == (6, 3)
    assert (p2p.upheld, p2p.approved, p2p.reopened, p2p.changed) == (1, 1, 1, 2)
    assert p2p.changed_rate == Decimal("66.7")
    header, rows = p2p_rows(dataset.filters())
    assert dict(rows)["changed, % of completed calls"] == Decimal("66.7")
    assert dict(rows)["outcome: changed, reopened for a new decision"] == 1


def test_p2p_changed_rate_is_a_dash_without_a_completed_call(dataset):
    assert workload.p2p_outcomes(dataset.filters(lob="medicaid")).changed_rate is None
