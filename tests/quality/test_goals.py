"""Program goals: values read through the reports' selectors, red/amber/green, the weekly trend
and the once-per-period alert, against hand-computed numbers.

March 2025, Medicare Advantage, "today" is Monday March 31 (the trend's last week starts then):

case  priority   decided          due              on time   auto-approved
E1    expedited  Mar 4 09:00      Mar 5 09:00      yes       no
E2    expedited  Mar 4 09:00      Mar 5 09:00      yes       no
E3    expedited  Mar 5 09:00      Mar 5 09:00      yes (at)  no
E4    expedited  Mar 12 09:00     Mar 11 09:00     no        no
S1    standard   Mar 4 09:00      Mar 9 09:00      yes       yes
S2    standard   Mar 13 09:00     Mar 20 09:00     yes       yes (approved)

Expedited on time 3/4 = 75.0 %; standard 2/2 = 100.0 %; auto-approval 2/6 = 33.3 %.
Weekly expedited: week of Mar 3: 3/3 = 100.0 %; week of Mar 10: 0/1 = 0.0 %; others none.
"""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from quality.models import Goal
from quality.selectors.goals import goal_state, goal_status, period_start
from quality.services.goals import goal_alerts_run, goal_update
from tests.factories import CoverageFactory
from tests.reports.conftest import event, local, make

pytestmark = pytest.mark.django_db

TODAY = date(2025, 3, 31)


@pytest.fixture
def cases(db):
    coverage = CoverageFactory()
    received = local(2025, 3, 2, 9, 0)
    for decided in (local(2025, 3, 4, 9), local(2025, 3, 4, 9), local(2025, 3, 5, 9)):
        make(
            coverage,
            status="approved",
            priority="expedited",
            received=received,
            due=local(2025, 3, 5, 9),
            decided=decided,
        )
    make(
        coverage,
        status="denied",
        priority="expedited",
        received=local(2025, 3, 8, 9),
        due=local(2025, 3, 11, 9),
        decided=local(2025, 3, 12, 9),
    )
    s1 = make(
        coverage,
        status="approved",
        received=received,
        due=local(2025, 3, 9, 9),
        decided=local(2025, 3, 4, 9),
    )
    s2 = make(
        coverage,
        status="approved",
        received=local(2025, 3, 13, 8),
        due=local(2025, 3, 20, 9),
        decided=local(2025, 3, 13, 9),
    )
    for case in (s1, s2):
        event(case, "auto_approve", "approved", case.decided_at)


def goal(manager, metric, target, *, direction="at_least", margin="2.0", name=None):
    return Goal.objects.create(
        name=name or metric,
        metric=metric,
        target=Decimal(target),
        direction=direction,
        amber_margin=Decimal(margin),
        owner=manager,
    )


def test_values_are_the_reports_numbers(cases, manager):
    expedited = goal_status(goal(manager, "expedited_on_time", "100"), today=TODAY)
    assert (expedited.ratio.part, expedited.ratio.whole, expedited.value) == (3, 4, Decimal("75.0"))
    standard = goal_status(goal(manager, "standard_on_time", "98"), today=TODAY)
    assert standard.value == Decimal("100.0")
    auto = goal_status(goal(manager, "auto_approval_rate", "30"), today=TODAY)
    assert (auto.ratio.part, auto.ratio.whole, auto.value) == (2, 6, Decimal("33.3"))
    assert (expedited.start, expedited.end) == (date(2025, 3, 1), TODAY)


def test_weekly_trend(cases, manager):
    status = goal_status(goal(manager, "expedited_on_time", "100"), today=TODAY)
    assert [p.week for p in status.trend][-3:] == [date(2025, 3, 17), date(2025, 3, 24), TODAY]
    assert len(status.trend) == 8
    values = {p.week: p.ratio.value for p in status.trend}
    assert values[date(2025, 3, 3)] == Decimal("100.0")
    assert values[date(2025, 3, 10)] == Decimal("0.0")
    assert values[date(2025, 3, 17)] is None


@pytest.mark.parametrize(
    ("direction", "target", "value", "state"),
    [
        ("at_least", "100", "100.0", "green"),
        ("at_least", "98", "96.0", "amber"),  # exactly the 2-point margin short
        ("at_least", "98", "95.9", "red"),
        ("at_most", "10", "10.0", "green"),
        ("at_most", "10", "12.0", "amber"),
        ("at_most", "10", "12.1", "red"),
        ("at_least", "30", None, "none"),
    ],
)
def test_red_amber_green(manager, direction, target, value, state):
    g = Goal(target=Decimal(target), direction=direction, amber_margin=Decimal("2.0"))
    assert goal_state(g, None if value is None else Decimal(value)) == state


def test_periods():
    day = date(2025, 8, 14)
    assert period_start("month", day) == date(2025, 8, 1)
    assert period_start("quarter", day) == date(2025, 7, 1)
    assert period_start("year", day) == date(2025, 1, 1)


def test_a_goal_behind_alerts_its_owner_once_per_period(
    cases, manager, django_capture_on_commit_callbacks
):
    behind = goal(manager, "expedited_on_time", "100", name="Expedited within 72 h")
    goal(manager, "standard_on_time", "98")
    with django_capture_on_commit_callbacks(execute=True):
        assert goal_alerts_run(today=TODAY) == 1
    assert [m.subject for m in mail.outbox] == ["UM goal falling behind: Expedited within 72 h"]
    assert mail.outbox[0].to == [manager.email]
    assert "75.0 %" in mail.outbox[0].body
    behind.refresh_from_db()
    assert behind.alerted_period_start == date(2025, 3, 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert goal_alerts_run(today=TODAY) == 0
    assert len(mail.outbox) == 1
    # A new target is judged afresh.
    goal_update(actor=manager, goal=behind, fields={"target": Decimal("99")})
    with django_capture_on_commit_callbacks(execute=True):
        assert goal_alerts_run(today=TODAY) == 1
    assert len(mail.outbox) == 2


def test_the_alert_claim_is_a_conditional_update(cases, manager):
    behind = goal(manager, "expedited_on_time", "100")
    # Another worker claimed the period first: this run sends nothing.
    Goal.objects.filter(pk=behind.pk).update(alerted_period_start=date(2025, 3, 1))
    assert goal_alerts_run(today=TODAY) == 0


def test_goals_page(cases, manager, client_for):
    goal(manager, "expedited_on_time", "100", name="Expedited within 72 h")
    goal(manager, "auto_approval_rate", "30", name="Auto-approval rate")
    with time_machine.travel(local(2025, 3, 31, 12), tick=False):
        response = client_for(manager).get(reverse("quality:goals"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Behind" in body and "On target" in body
    assert "<polyline" in body


def test_goals_page_query_count(cases, manager, client_for, django_assert_num_queries):
    """Two goals of different metrics: each (metric, window) computed once."""
    goal(manager, "expedited_on_time", "100", name="A")
    goal(manager, "expedited_on_time", "90", name="B")  # shares every query with A
    client = client_for(manager)
    # The page frame: session, user, roles, unread notifications, session save in a savepoint
    # (7); the goals (1); per window (the month to date and eight weeks), shared by both goals,
    # the timeliness figures from the daily summaries: the stored rows and the days to compute
    # live (2 x 9 = 18); the annual IRR schedule: its settings and the last completed audit (2).
    # A second goal of the same metric adds nothing.
    with time_machine.travel(local(2025, 3, 31, 12), tick=False):
        client.get(reverse("quality:goals"))
        with django_assert_num_queries(28):
            client.get(reverse("quality:goals"))


def test_goal_form(manager, nurse, client_for):
    url = reverse("quality:goal_new")
    assert client_for(nurse).get(url).status_code == 403
    client = client_for(manager)
    bad = client.post(url, {"name": "x", "metric": "auto_approval_rate", "target": "130"})
    assert bad.status_code == 400
    assert Goal.objects.count() == 0
    ok = client.post(
        url,
        {
            "name": "Auto-approvals",
            "metric": "auto_approval_rate",
            "direction": "at_least",
            "target": "30",
            "amber_margin": "2",
            "period": "quarter",
            "is_active": "on",
        },
    )
    assert ok.status_code == 302
    created = Goal.objects.get()
    assert (created.owner, created.target, created.period) == (manager, Decimal("30.0"), "quarter")
    edit = client.post(
        reverse("quality:goal_edit", args=[created.pk]),
        {
            "name": "Auto-approvals",
            "metric": "auto_approval_rate",
            "direction": "at_least",
            "target": "35",
            "amber_margin": "2",
            "period": "quarter",
        },
    )
    assert edit.status_code == 302
    created.refresh_from_db()
    assert (created.target, created.is_active) == (Decimal("35.0"), False)
