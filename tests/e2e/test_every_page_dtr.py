"""The accessibility walk of test_every_page over the provider's DTR page: the chooser, and a
criteria questionnaire open for a draft (diagnoses prefilled). Desktop and phone width."""

import pytest

from intake.demo_rules import seed_rules
from intake.models import CareRequest
from review.demo_criteria import seed_criteria_sets
from tests.e2e.test_every_page import DESKTOP, PHONE
from tests.e2e.test_every_page_admin_p2p import walk
from tests.factories import make_case
from um_portal.demo.accounts import seed_accounts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dtr_page_has_no_serious_accessibility_violation(browser, live_server):
    ctx = seed_accounts()
    seed_rules()
    seed_criteria_sets()
    provider = ctx["users"]["provider"]
    draft = make_case(
        actor=provider,
        organization=provider.provider_organization,
        submit=False,
        channel=CareRequest.Channel.PORTAL,
    )
    paths = [
        "/portal/dtr/",
        f"/portal/dtr/?case={draft.pk}&questionnaire=criteria-lumbar-spine-mri",
        f"/portal/dtr/?case={draft.pk}&questionnaire=checklist-imaging-clinical-notes",
    ]
    problems = []
    for viewport in (DESKTOP, PHONE):

        def visit(page, check_path):
            for path in paths:
                check_path(path)

        problems += walk(browser, live_server, "provider", viewport, visit)
    assert problems == [], "\n".join(problems)
