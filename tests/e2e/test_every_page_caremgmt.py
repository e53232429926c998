"""The accessibility walk of test_every_page over the care-management and feedback pages: the
queue and a referral (nurse, manager), the 360° case view with the member's referrals, the
manager's feedback table, and the provider's case page with the rating form and with a rating
given. Desktop and phone width; seeded with the demo."""

import pytest

from caremgmt.models import Referral
from intake.models import CareRequest
from intake.models.care_request import DECIDED_STATUSES
from quality.models import Feedback
from tests.e2e.test_every_page import DESKTOP, PHONE
from tests.e2e.test_every_page_admin_p2p import walk
from um_portal.demo.steps import seed_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pages_by_role() -> dict[str, list[str]]:
    by_hand = Referral.objects.filter(rule__isnull=True).first()
    by_rule = Referral.objects.filter(rule__isnull=False).first()
    rated = Feedback.objects.filter(created_by__username="provider").first()
    unrated = (
        CareRequest.objects.filter(
            status__in=DECIDED_STATUSES,
            provider_organization__users__username="provider",
            feedback__isnull=True,
        )
        .order_by("received_at")
        .first()
    )
    assert all([by_hand, by_rule, rated, unrated])
    return {
        "nurse": [
            "/caremgmt/",
            f"/caremgmt/referrals/{by_hand.pk}/",
            f"/caremgmt/referrals/{by_rule.pk}/",
            f"/review/cases/{by_hand.care_request_id}/",
        ],
        "manager": ["/caremgmt/?show=all", "/quality/feedback/"],
        "provider": [
            f"/portal/requests/{rated.care_request_id}/",
            f"/portal/requests/{unrated.pk}/",
        ],
    }


def test_care_management_and_feedback_pages_have_no_serious_accessibility_violation(
    browser, live_server
):
    seed_all(log=lambda msg: None)
    problems = []
    for username, paths in pages_by_role().items():
        for viewport in (DESKTOP, PHONE):

            def visit(page, check_path, paths=paths):
                for path in paths:
                    check_path(path)

            problems += walk(browser, live_server, username, viewport, visit)
    assert problems == [], "\n".join(problems)
