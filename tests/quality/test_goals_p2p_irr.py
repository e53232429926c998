"""The goals "P2P offered within one business day" and "IRR kappa", against hand-computed values.

P2P offers (March 2025, "today" Monday March 31), each on its own denied case:
    Feb 27 not within (before the month)   Mar 4 within   Mar 5 not within   Mar 12 within
Month to date: 2 of 3 = 66.7 %. Weekly: week of Mar 3: 1/2 = 50.0 %; week of Mar 10: 1/1 = 100.0 %.

IRR audits, one vignette (reference met, not met, not approvable), reviewers A and B:
- completed Mar 5: both answer as the reference: kappa 1.00;
- completed Mar 20: A as the reference, B "met, met, approve". Pooled 6 ratings, 4 agree;
  answers met 3, not_met 1, not_approve 1, approve 1; reference met 2, not_met 2,
  not_approve 2; pe = (6 + 2 + 2)/36 = 10/36; kappa = (24 - 10)/(36 - 10) = 7/13 = 0.54.
The year-to-date goal reads the latest audit of the period (0.54: red against 0.7 with a 0.05
margin); the week of Mar 3 reads 1.00, the week of Mar 17 0.54, other weeks have no audit.
"""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from quality.models import Goal, IrrAssignment, IrrAudit
from quality.selectors.goals import goal_status
from quality.services.irr import irr_assignment_submit, irr_audit_complete, irr_audit_create
from scheduling.models import P2POffer
from tests.factories import CoverageFactory, UserFactory
from tests.reports.conftest import local, make
from um_portal.accounts.roles import Role

from .irr_fixtures import AP, NA, M, N, criteria_set, vignette

pytestmark = pytest.mark.django_db

TODAY = date(2025, 3, 31)


def offer(coverage, at, within):
    case = make(coverage, status="denied", received=at, decided=at)
    P2POffer.objects.create(care_request=case, offered_at=at, deadline=at, within_deadline=within)


def test_p2p_offered_within_one_business_day(manager):
    coverage = CoverageFactory()
    offer(coverage, local(2025, 2, 27, 10), False)
    offer(coverage, local(2025, 3, 4, 10), True)
    offer(coverage, local(2025, 3, 5, 10), False)
    offer(coverage, local(2025, 3, 12, 10), True)
    g = Goal.objects.create(
        name="P2P", metric="p2p_offered_on_time", target=Decimal(100), owner=manager
    )
    status = goal_status(g, today=TODAY)
    assert (status.ratio.part, status.ratio.whole, status.value) == (2, 3, Decimal("66.7"))
    assert status.state == "red"
    weekly = {p.week: p.ratio.value for p in status.trend}
    assert weekly[date(2025, 3, 3)] == Decimal("50.0")
    assert weekly[date(2025, 3, 10)] == Decimal("100.0")
    assert weekly[date(2025, 3, 17)] is None


def _audit(manager, reviewers, vig, b_answers, b_decision, completed_at):
    with time_machine.travel(completed_at, tick=False):
        audit = irr_audit_create(
            actor=manager,
            name=f"Audit {completed_at:%b %d}",
            source=IrrAudit.Source.VIGNETTES,
            vignettes=[vig],
            reviewers=reviewers,
            due_date=TODAY,
        )
        criteria = list(vig.criteria_set.criteria.order_by("sequence"))
        for assignment in IrrAssignment.objects.filter(item__audit=audit):
            is_b = assignment.reviewer == reviewers[1]
            given = b_answers if is_b else [M, N]
            irr_assignment_submit(
                assignment=assignment,
                reviewer=assignment.reviewer,
                answers={c.pk: a for c, a in zip(criteria, given, strict=True)},
                notes={},
                decision=b_decision if is_b else NA,
            )
        irr_audit_complete(actor=manager, audit=audit)


def test_irr_kappa_reads_the_latest_completed_audit_of_the_period(manager):
    reviewers = [
        UserFactory(username="a", roles=[Role.NURSE]),
        UserFactory(username="b", roles=[Role.DIRECTOR]),
    ]
    vig = vignette("V", criteria_set("s"), [M, N], NA)
    _audit(manager, reviewers, vig, [M, N], NA, local(2025, 3, 5, 12))
    _audit(manager, reviewers, vig, [M, M], AP, local(2025, 3, 20, 12))
    g = Goal.objects.create(
        name="IRR kappa",
        metric="irr_kappa",
        target=Decimal("0.7"),
        amber_margin=Decimal("0.05"),
        period="year",
        owner=manager,
    )
    status = goal_status(g, today=TODAY)
    assert status.value == Decimal("0.54")
    assert status.ratio.source == "Audit Mar 20"
    assert status.state == "red"
    assert g.target_label == "≥ 0.7"
    weekly = {p.week: p.ratio.value for p in status.trend}
    assert weekly[date(2025, 3, 3)] == Decimal("1.0")
    assert weekly[date(2025, 3, 17)] == Decimal("0.54")
    assert weekly[date(2025, 3, 24)] is None


def test_kappa_goal_state_uses_kappa_points(manager):
    from quality.selectors.goals import goal_state

    g = Goal(metric="irr_kappa", target=Decimal("0.7"), amber_margin=Decimal("0.05"))
    assert goal_state(g, Decimal("0.65")) == "amber"
    assert goal_state(g, Decimal("0.64")) == "red"
    assert goal_state(g, Decimal("0.70")) == "green"


def test_a_kappa_target_above_one_is_refused(manager, client_for):
    response = client_for(manager).post(
        reverse("quality:goal_new"),
        {
            "name": "Kappa",
            "metric": "irr_kappa",
            "direction": "at_least",
            "target": "70",
            "amber_margin": "0.05",
            "period": "year",
            "is_active": "on",
        },
    )
    assert response.status_code == 400
    assert "A kappa target is between 0 and 1" in response.content.decode()
    assert not Goal.objects.exists()


def test_goals_page_shows_the_kappa_goal_and_the_schedule(manager, client_for):
    Goal.objects.create(
        name="IRR kappa", metric="irr_kappa", target=Decimal("0.7"), period="year", owner=manager
    )
    body = client_for(manager).get(reverse("quality:goals")).content.decode()
    assert "≥ 0.7" in body and "no audit completed" in body
    assert "Annual IRR audit:" in body
