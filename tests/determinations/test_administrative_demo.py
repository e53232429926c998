"""The demo shows a benefit denial with its letters and an exception waiting for a director."""

import random

import pytest

from determinations.demo_administrative import MIXED_PREFIX, seed_administrative
from determinations.models import Determination, NetworkException
from determinations.services.letters import letter_html
from intake.demo import seed_reference
from intake.demo_rules import seed_rules
from intake.models import CareRequest
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
    denial = Determination.objects.get(administrative=True, outcome="denied")
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


def test_demo_mixed_decision_names_both_services(settings, tmp_path):
    """The demo's mixed request: intake denied the uncovered home therapy line for the benefit
    reason, the director approved the MRI; one partial approval whose letters name both."""
    settings.MEDIA_ROOT = tmp_path
    ctx = seed_accounts()
    seed_reference(orgs=ctx["orgs"], rng=random.Random(20261122))
    seed_rules()
    seed_review(users=ctx["users"])
    seed_administrative(users=ctx["users"], rng=random.Random(19))

    case = CareRequest.objects.get(external_id__startswith=MIXED_PREFIX)
    determination = Determination.objects.get(care_request=case)
    assert (case.status, determination.outcome, determination.source) == (
        "partially_approved",
        "partially_approved",
        "physician",
    )
    assert [
        (ld.service_line.code, ld.outcome, ld.reason_code, bool(ld.plan_provision))
        for ld in determination.line_decisions.order_by("service_line__sequence")
    ] == [("G0151", "denied", "not_covered", True), ("72148", "approved", "", False)]
    letters = list(determination.letters.all())
    assert sorted(letter.status for letter in letters) == ["sent", "sent"]
    for letter in letters:
        html = letter_html(letter)
        for line in case.service_lines.all():
            assert line.plain_description in html
    # A demo made before the mixed decision existed gets it added once, nothing else.
    assert seed_administrative(users=ctx["users"], rng=random.Random(19)) == "already present"
