"""The demo seeds appeals in every state after `make run`."""

import random

import pytest

from appeals.demo import seed_appeals
from appeals.models import Appeal
from determinations.demo import demo_criteria_set
from intake.demo import SERVICES, seed_reference
from intake.demo_rules import seed_rules
from review.demo import seed_review
from um_portal.demo.accounts import seed_accounts

pytestmark = pytest.mark.django_db


def test_demo_appeals_cover_the_states(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    ctx = seed_accounts()
    seed_reference(orgs=ctx["orgs"], rng=random.Random(20261122))
    seed_rules()
    seed_review(users=ctx["users"])
    demo_criteria_set(SERVICES[0].code)
    assert seed_appeals(users=ctx["users"], rng=random.Random(1)) >= 7
    states = set(Appeal.objects.values_list("status", flat=True))
    assert {
        "received",
        "in_review",
        "decided_overturned",
        "forwarded_to_ire",
        "dismissed",
        "withdrawn",
    } <= states
    assert seed_appeals(users=ctx["users"], rng=random.Random(1)) == 0
