"""The accessibility walk of test_every_page over the mail room (a built and a returned demo
batch) and the letters attention page with its printed-letter rows. Desktop and phone width;
seeded with the demo."""

import pytest

from tests.e2e.test_every_page import DESKTOP, PHONE
from tests.e2e.test_every_page_admin_p2p import walk
from um_portal.demo.steps import seed_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PATHS = ["/mailroom/", "/determinations/letters/attention/"]


def test_mail_room_pages_have_no_serious_accessibility_violation(browser, live_server):
    seed_all(log=lambda msg: None)
    problems = []
    for viewport in (DESKTOP, PHONE):

        def visit(page, check_path):
            for path in PATHS:
                check_path(path)

        problems += walk(browser, live_server, "manager", viewport, visit)
    assert problems == [], "\n".join(problems)
