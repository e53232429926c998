"""Demo data for the UM program pages. Idempotent; runs after every other app's demo step."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from review.models import CriteriaSet
from review.services.criteria import CriterionInput as C
from review.services.criteria import criteria_set_create

from .models import Goal
from .services.goals import goal_create

# The demo's auto-approval rules (intake/demo_rules.py) approve services that no demo criteria
# set documents; the guided setup flags that, so the demo completes it the way a manager would,
# through review's own service. Written for UM Portal, not copied from a licensed product.
AUTO_APPROVAL_CRITERIA = [
    {
        "slug": "cpap-osa",
        "name": "CPAP for obstructive sleep apnoea",
        "code_system": "hcpcs",
        "codes": ["E0601"],
        "summary": "A CPAP machine is covered when a sleep study shows obstructive sleep apnoea.",
        "criteria": [
            C(
                "Obstructive sleep apnoea confirmed by a sleep study (AHI of 15 or more, or 5 "
                "or more with symptoms).",
                "A sleep study showed that your breathing stops often during sleep.",
            ),
        ],
    },
    {
        "slug": "knee-mri",
        "name": "MRI of the knee",
        "code_system": "cpt",
        "codes": ["73721"],
        "summary": "A knee MRI is covered when a meniscus or ligament tear is suspected after "
        "an examination.",
        "criteria": [
            C(
                "Examination findings of an internal derangement (joint-line tenderness, "
                "positive McMurray test, locking) recorded in the office notes.",
                "Your doctor's examination found signs of a tear inside the knee.",
            ),
        ],
    },
    {
        "slug": "home-pt-post-arthroplasty",
        "name": "Home physical therapy after joint replacement",
        "code_system": "hcpcs",
        "codes": ["G0151"],
        "summary": "Physical therapy at home is covered after a joint replacement while "
        "leaving home takes a considerable effort.",
        "criteria": [
            C(
                "Joint replacement within the last 90 days and the member is homebound.",
                "You had a joint replaced recently and it is hard for you to leave home.",
            ),
        ],
    },
]


@transaction.atomic
def seed_setup_gaps() -> int:
    """Add the criteria sets the demo's auto-approval rules lack; return how many were added."""
    added = 0
    for spec in AUTO_APPROVAL_CRITERIA:
        if CriteriaSet.objects.filter(slug=spec["slug"]).exists():
            continue
        criteria_set_create(
            actor=None,
            slug=spec["slug"],
            fields={
                "name": spec["name"],
                "code_system": spec["code_system"],
                "codes": spec["codes"],
                "summary": spec["summary"],
                "effective_from": date(2026, 1, 1),
            },
            criteria=spec["criteria"],
        )
        added += 1
    return added


# name, metric, direction, target, period: the examples.
GOALS = [
    ("Expedited decided within 72 h", Goal.Metric.EXPEDITED_ON_TIME, "at_least", "100", "month"),
    ("Standard decided within 7 days", Goal.Metric.STANDARD_ON_TIME, "at_least", "98", "month"),
    ("Auto-approval rate", Goal.Metric.AUTO_APPROVAL_RATE, "at_least", "30", "quarter"),
    ("Overturn rate on appeal", Goal.Metric.APPEAL_OVERTURN_RATE, "at_most", "10", "year"),
]


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
            },
        )
        added += 1
    return added


def seed_quality(*, users: dict, log=print) -> None:
    """Every quality demo step, each idempotent."""
    log(f"Guided setup: {seed_setup_gaps()} criteria set(s) added for auto-approval rules.")
    log(f"Program goals: {seed_goals(manager=users['manager'])} set.")
