"""The accessibility walk of test_every_page, over the pages it did not reach: the admin pages
staff use (every model the index lists to a UM manager and to a technical administrator: its
list, its add form, one record) and the peer-to-peer pages (the provider's booking page, the
director's calendar and call record form, the nurse's booking). Desktop and phone width, axe-core
serious/critical violations, horizontal scrolling, duplicate ids, 404s. Seeded with the demo."""

import pytest

from intake.models import CareRequest, CareRequestStatus
from scheduling.models import PeerToPeer
from tests.e2e.conftest import login
from tests.e2e.test_every_page import (
    DESKTOP,
    DUPLICATE_IDS,
    PHONE,
    horizontal_overflow,
    serious_axe_violations,
)
from um_portal.demo.accounts import DEMO_PASSWORD
from um_portal.demo.steps import seed_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def p2p_pages_by_role() -> dict[str, list[str]]:
    open_case = (
        CareRequest.objects.filter(
            status=CareRequestStatus.DENIED,
            provider_organization__users__username="provider",
            peer_to_peers__isnull=True,
        )
        .order_by("received_at")
        .first()
    )
    booked = PeerToPeer.objects.filter(status=PeerToPeer.Status.SCHEDULED).first()
    held = PeerToPeer.objects.filter(status=PeerToPeer.Status.COMPLETED).first()
    assert all([open_case, booked, held])
    portal = "/scheduling/portal/cases"
    return {
        "nurse": [
            f"/scheduling/cases/{open_case.pk}/",
            f"/scheduling/cases/{open_case.pk}/book/",
            f"/scheduling/p2p/{booked.pk}/",
            f"/scheduling/p2p/{booked.pk}/reschedule/",
        ],
        "director": [
            "/scheduling/calendar/",
            f"/scheduling/calendar/?week={booked.slot.starts_at:%Y-%m-%d}",
            f"/scheduling/p2p/{booked.pk}/",  # the record form
            f"/scheduling/p2p/{held.pk}/",  # a recorded call
            f"/scheduling/cases/{held.care_request_id}/",
            "/scheduling/free-slots/",
            "/scheduling/availability/",
        ],
        "provider": [
            f"{portal}/{open_case.pk}/request/",  # the provider's booking page
            f"{portal}/{booked.care_request_id}/request/",  # its booked call: move or cancel
            f"/portal/requests/{booked.care_request_id}/",
        ],
    }


ADMIN_LINKS = """() => [...document.querySelectorAll("#content-main a[href^='/admin/']")]
    .map(a => a.getAttribute("href"))"""
FIRST_RECORD = """() => {
    const a = document.querySelector("#result_list tbody tr a[href^='/admin/']");
    return a ? a.getAttribute("href") : null;
}"""


def check(page, path: str, where: str, viewport: dict, problems: list[str]) -> bool:
    response = page.goto(path)
    page.wait_for_load_state("networkidle")
    if response.status != 200:
        problems.append(f"{where}: HTTP {response.status}")
        return False
    if viewport is PHONE:
        overflow = horizontal_overflow(page)
        if overflow:
            problems.append(f"{where}: {overflow}")
    problems.extend(f"{where}: {v}" for v in serious_axe_violations(page))
    duplicates = page.evaluate(DUPLICATE_IDS)
    if duplicates:
        problems.append(f"{where}: duplicate ids {duplicates}")
    return True


def walk(browser, live_server, username: str, viewport: dict, visit) -> list[str]:
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    context.set_default_timeout(30_000)
    page = context.new_page()
    problems: list[str] = []
    missing: list[str] = []
    page.on("response", lambda r: r.status == 404 and missing.append(r.url))
    login(page, username, DEMO_PASSWORD)
    visit(
        page,
        lambda path: check(
            page, path, f"{username} {path} @{viewport['width']}", viewport, problems
        ),
    )
    problems.extend(f"{username}: 404 for {url}" for url in missing)
    context.close()
    return problems


def visit_admin(page, check_path) -> None:
    """The index, then every list and add form it links, then the first record of each list."""
    assert check_path("/admin/")
    links = list(dict.fromkeys(page.evaluate(ADMIN_LINKS)))
    lists = [link for link in links if not link.endswith("/add/")]
    assert len(lists) >= 3, links
    for link in links:
        if not check_path(link) or link not in lists:
            continue
        record = page.evaluate(FIRST_RECORD)
        if record:
            check_path(record)


def test_admin_pages_staff_use_have_no_serious_accessibility_violation(browser, live_server):
    seed_all(log=lambda msg: None)
    problems = []
    for username in ("manager", "admin"):
        for viewport in (DESKTOP, PHONE):
            problems += walk(browser, live_server, username, viewport, visit_admin)
    assert problems == [], "\n".join(problems)


def test_peer_to_peer_pages_have_no_serious_accessibility_violation(browser, live_server):
    seed_all(log=lambda msg: None)
    problems = []
    for username, paths in p2p_pages_by_role().items():
        for viewport in (DESKTOP, PHONE):

            def visit(page, check_path, paths=paths):
                for path in paths:
                    check_path(path)

            problems += walk(browser, live_server, username, viewport, visit)
    assert problems == [], "\n".join(problems)
