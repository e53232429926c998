"""The accessibility walk of test_every_page over the administrative-decision pages: intake's
denial form on a received case, the decided benefit denial, the director's exception list and
decision form. Desktop and phone width; axe-core serious/critical violations, horizontal
scrolling, duplicate ids. Seeded with the parts of the demo these pages need."""

import random

import pytest

from determinations.demo_administrative import seed_administrative
from determinations.models import Determination, NetworkException
from intake.demo import seed_reference
from intake.demo_rules import seed_rules
from review.demo import seed_review
from tests.determinations.admin_support import admin_case
from tests.e2e.conftest import login
from tests.e2e.test_every_page import (
    DESKTOP,
    DUPLICATE_IDS,
    PHONE,
    horizontal_overflow,
    serious_axe_violations,
)
from um_portal.demo.accounts import DEMO_PASSWORD, seed_accounts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_administrative_pages_fit_a_phone_and_have_no_serious_violation(
    browser, live_server, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    ctx = seed_accounts()
    seed_reference(orgs=ctx["orgs"], rng=random.Random(20261122), providers=20, members=20)
    seed_rules()
    seed_review(users=ctx["users"])
    seed_administrative(users=ctx["users"], rng=random.Random(19))
    fresh = admin_case(intake=ctx["users"]["intake"], organization=ctx["orgs"]["lakeside"])
    denied = Determination.objects.get(administrative=True, outcome="denied").care_request
    waiting = NetworkException.objects.get().care_request
    pages = {
        "intake": [
            f"/determinations/cases/{fresh.pk}/administrative/",
            f"/intake/cases/{fresh.pk}/",
            f"/determinations/cases/{denied.pk}/administrative/",
        ],
        "director": [
            "/determinations/network-exceptions/",
            f"/determinations/cases/{waiting.pk}/administrative/",
        ],
    }
    problems = []
    for username, paths in pages.items():
        for viewport in (DESKTOP, PHONE):
            context = browser.new_context(base_url=live_server.url, viewport=viewport)
            page = context.new_page()
            login(page, username, DEMO_PASSWORD)
            for path in paths:
                response = page.goto(path)
                page.wait_for_load_state("networkidle")
                where = f"{username} {path} @{viewport['width']}"
                if response.status != 200:
                    problems.append(f"{where}: HTTP {response.status}")
                    continue
                if viewport is PHONE and (overflow := horizontal_overflow(page)):
                    problems.append(f"{where}: {overflow}")
                problems.extend(f"{where}: {v}" for v in serious_axe_violations(page))
                if duplicates := page.evaluate(DUPLICATE_IDS):
                    problems.append(f"{where}: duplicate ids {duplicates}")
            context.close()
    assert problems == [], "\n".join(problems)
