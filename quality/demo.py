"""Demo data for the UM program pages. Idempotent; runs after every other app's demo step."""

from decimal import Decimal

from .demo_irr import seed_irr
from .models import Goal
from .services.goals import goal_create

# name, metric, direction, target, period: the examples.
GOALS = [
    ("Expedited decided within 72 h", Goal.Metric.EXPEDITED_ON_TIME, "at_least", "100", "month"),
    ("Standard decided within 7 days", Goal.Metric.STANDARD_ON_TIME, "at_least", "98", "month"),
    ("Auto-approval rate", Goal.Metric.AUTO_APPROVAL_RATE, "at_least", "30", "quarter"),
    ("Overturn rate on appeal", Goal.Metric.APPEAL_OVERTURN_RATE, "at_most", "10", "year"),
    (
        "P2P offered within one business day",
        Goal.Metric.P2P_OFFERED_ON_TIME,
        "at_least",
        "100",
        "month",
    ),
    ("IRR kappa", Goal.Metric.IRR_KAPPA, "at_least", "0.7", "year"),
]
# A kappa's amber band is in kappa points, not percentage points.
AMBER_MARGIN = {Goal.Metric.IRR_KAPPA: Decimal("0.05")}


def seed_goals(*, manager) -> int:
    added = 0
    for name, metric, direction, target, period in GOALS:
        if Goal.objects.filter(name=name).exists():
            continue
        goal_create(
            actor=manager,
            fields={
                "name": name,
                "metric": metric,
                "direction": direction,
                "target": Decimal(target),
                "period": period,
                "amber_margin": AMBER_MARGIN.get(metric, Decimal("2.0")),
            },
        )
        added += 1
    return added


def seed_quality(*, users: dict, log=print) -> None:
    """Every quality demo step, each idempotent."""
    log(f"Program goals: {seed_goals(manager=users['manager'])} set.")
    log(f"IRR audits: {seed_irr(users=users)}.")
