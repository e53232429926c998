import random

import pytest
from django.utils import timezone

from intake.demo import seed_reference
from intake.demo_rules import seed_rules
from review.demo import seed_review
from review.demo_criteria import seed_criteria_sets
from scheduling.demo import PATTERNS, seed_availability, seed_holidays
from um_portal.demo.accounts import seed_accounts


@pytest.fixture
def demo_configuration(db):
    """The demo's configuration (no cases): what `make run` sets up before its cases."""
    ctx = seed_accounts()
    seed_reference(orgs=ctx["orgs"], rng=random.Random(1), providers=2, members=2)
    seed_rules()
    seed_review(users=ctx["users"])
    seed_criteria_sets()
    today = timezone.localdate()
    seed_holidays(today)
    for username, patterns in PATTERNS.items():
        seed_availability(ctx["users"][username], patterns, today)
    return ctx
