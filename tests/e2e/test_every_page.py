"""Every main page of every role, in Chromium, at desktop width and at phone width (390 px):
no horizontal scrolling, and axe-core (vendored in static/vendor/axe-core) finds no serious or
critical accessibility violation. The pages are the demo's (`make run`), seeded once."""

import pytest

from determinations.models import Letter
from intake.models import CareRequest, CareRequestStatus
from members.models import DataSharingChoice
from quality.models import IrrAssignment, IrrAudit
from tests.e2e.conftest import login
from um_portal.demo.accounts import DEMO_PASSWORD
from um_portal.demo.steps import seed_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
AXE = "/static/vendor/axe-core/axe.min.js"


def _case(**filters) -> CareRequest:
    return CareRequest.objects.filter(**filters).order_by("received_at").first()


def pages_by_role() -> dict[str, list[str]]:
    nurse_case = _case(status=CareRequestStatus.NURSE_REVIEW, assigned_to__username="nurse")
    md_case = _case(status=CareRequestStatus.MD_REVIEW)
    intake_case = _case(status__in=[CareRequestStatus.SUBMITTED, CareRequestStatus.PENDING_INFO])
    portal_case = _case(
        provider_organization__users__username="provider", status=CareRequestStatus.DENIED
    )
    draft = _case(provider_organization__users__username="provider", status=CareRequestStatus.DRAFT)
    letter = Letter.objects.filter(recipient="provider").first()
    done = IrrAudit.objects.filter(status=IrrAudit.Status.COMPLETED).first()
    open_audit = IrrAudit.objects.filter(status=IrrAudit.Status.OPEN).first()
    irr_item = IrrAssignment.objects.filter(reviewer__username="nurse").first()
    assert all([nurse_case, md_case, intake_case, portal_case, draft, letter])
    assert all([done, open_audit, irr_item])
    # The member the Provider Access demo opted out (access.demo).
    sharing = DataSharingChoice.objects.filter(provider_access_opted_out=True).first()
    assert sharing
    return {
        "intake": [
            "/intake/",
            "/intake/new/",
            f"/intake/cases/{intake_case.pk}/",
            "/determinations/letters/attention/",
            "/members/",
            f"/members/{sharing.member_id}/sharing/",
        ],
        "nurse": [
            "/review/",
            f"/review/cases/{nurse_case.pk}/",
            f"/review/cases/{nurse_case.pk}/nurse-review/",
            "/scheduling/calendar/",
            "/scheduling/free-slots/",
            "/review/notifications/",
            "/quality/irr/mine/",
            f"/quality/irr/assignments/{irr_item.pk}/",
        ],
        "director": [
            "/review/",
            f"/review/cases/{md_case.pk}/",
            f"/determinations/cases/{md_case.pk}/decide/",
            "/scheduling/availability/",
        ],
        "manager": [
            "/reports/",
            "/reports/cms-0057-f/",
            "/reports/timeliness/",
            "/quality/",
            "/quality/irr/",
            "/quality/irr/new/",
            f"/quality/irr/{open_audit.pk}/",
            f"/quality/irr/{done.pk}/results/",
        ],
        "provider": [
            "/portal/",
            f"/portal/requests/{portal_case.pk}/",
            "/portal/new/",
            f"/portal/requests/{draft.pk}/edit/",
            f"/portal/requests/{draft.pk}/documents/",
            f"/portal/requests/{draft.pk}/review/",
            "/portal/api-access/",
        ],
    }


def horizontal_overflow(page) -> str:
    """'' when the page fits its viewport, else what sticks out."""
    return page.evaluate(
        """() => {
            const width = window.innerWidth;
            if (document.documentElement.scrollWidth <= width) return "";
            const wide = [...document.querySelectorAll("body *")]
                .filter(el => el.getBoundingClientRect().right > width + 1)
                .filter(el => !el.closest("[data-scroll-region]"))
                .slice(0, 3)
                .map(el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
                     + (el.className && typeof el.className === "string"
                        ? "." + el.className.split(" ").join(".") : ""));
            return `scrollWidth ${document.documentElement.scrollWidth} > ${width}: ${wide}`;
        }"""
    )


DUPLICATE_IDS = """() => {
    const seen = {};
    document.querySelectorAll("[id]").forEach(el => { seen[el.id] = (seen[el.id] || 0) + 1; });
    return Object.keys(seen).filter(id => seen[id] > 1);
}"""


def serious_axe_violations(page) -> list[str]:
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE)
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
            .filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => `${v.id} (${v.impact}): ` + v.nodes.slice(0, 3)
                 .map(n => n.target.join(" ")).join(" | "))"""
    )
    return violations


def test_every_main_page_fits_a_phone_and_has_no_serious_accessibility_violation(
    browser, live_server
):
    seed_all(log=lambda msg: None)
    problems = []
    for username, paths in pages_by_role().items():
        for viewport in (DESKTOP, PHONE):
            context = browser.new_context(base_url=live_server.url, viewport=viewport)
            context.set_default_timeout(30_000)
            page = context.new_page()
            missing = []
            page.on(
                "response",
                lambda r, missing=missing: r.status == 404 and missing.append(r.url),
            )
            login(page, username, DEMO_PASSWORD)
            for path in paths:
                response = page.goto(path)
                page.wait_for_load_state("networkidle")
                where = f"{username} {path} @{viewport['width']}"
                if response.status != 200:
                    problems.append(f"{where}: HTTP {response.status}")
                    continue
                if viewport is PHONE:
                    overflow = horizontal_overflow(page)
                    if overflow:
                        problems.append(f"{where}: {overflow}")
                problems.extend(f"{where}: {v}" for v in serious_axe_violations(page))
                duplicates = page.evaluate(DUPLICATE_IDS)
                if duplicates:
                    problems.append(f"{where}: duplicate ids {duplicates}")
            problems.extend(f"{username}: 404 for {url}" for url in missing)
            context.close()
    assert problems == [], "\n".join(problems)


def test_at_phone_width_the_header_collapses_behind_a_menu_button(browser, live_server, nurse):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    login(page, nurse.username)
    page.goto("/review/")
    sign_out = page.get_by_role("button", name="Sign out")
    menu = page.get_by_role("button", name="Menu")
    assert not sign_out.is_visible()
    assert menu.get_attribute("aria-expanded") == "false"
    menu.click()
    assert menu.get_attribute("aria-expanded") == "true"
    assert sign_out.is_visible()
    box = sign_out.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.get_by_role("link", name="My Care Requests").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()
