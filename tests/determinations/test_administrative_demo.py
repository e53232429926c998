"""The demo shows a benefit denial with its letters and an exception waiting for a director."""

import random

import pytest

from determinations.demo_administrative import seed_administrative
from determinations.models import Determination, NetworkException
from intake.demo import seed_reference
from intake.demo_rules import seed_rules
from review.demo import seed_review
from um_portal.demo.accounts import seed_accounts

pytestmark = pytest.mark.django_db


def test_demo_benefit_denial_and_pending_exception(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ctx = seed_accounts()
    seed_reference(orgs=ctx["orgs"], rng=random.Random(20261122))
    seed_rules()
    seed_review(users=ctx["users"])
    assert seed_administrative(users=ctx["users"], rng=random.Random(19)).startswith(
        "benefit denial"
    )
    denial = Determination.objects.get(administrative=True)
    assert (denial.reason_code, denial.source, denial.care_request.status) == (
        "not_covered",
        "intake",
        "denied",
    )
    assert sorted(denial.letters.values_list("template", "status")) == [
        ("admin_denial", "sent"),
        ("admin_denial", "sent"),
    ]
    assert NetworkException.objects.get().status == "requested"
    assert seed_administrative(users=ctx["users"], rng=random.Random(19)) == "already present"
