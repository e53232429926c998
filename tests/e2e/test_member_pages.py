"""A member on a phone (390 px): opens the plan's invitation link, proves who they are, says yes
to payer-to-payer sharing, reads the decision, switches to Spanish and appeals — no horizontal
scrolling and no serious axe violation on any page along the way."""

import pytest

from appeals.models import Appeal
from intake.models import Coverage
from members.services import member_invite
from tests.e2e.test_every_page import PHONE, horizontal_overflow, serious_axe_violations
from tests.members.conftest import (  # noqa: F401 - fixtures reused
    PASSWORD,
    approve,
    criteria_set,
    denied_case,
    deny,
    make_denied_case,
    make_md_case,
    md_case,
    reference_data,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, problems: list[str], where: str) -> None:
    page.wait_for_load_state("networkidle")
    overflow = horizontal_overflow(page)
    if overflow:
        problems.append(f"{where}: {overflow}")
    problems.extend(f"{where}: {v}" for v in serious_axe_violations(page))


def test_a_member_signs_up_reads_the_decision_and_appeals_on_a_phone(
    browser,
    live_server,
    denied_case,  # noqa: F811 - the fixture imported above
    intake_specialist,
):
    member = denied_case.member
    _, token = member_invite(actor=intake_specialist, member=member)
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    context.set_default_timeout(30_000)
    page = context.new_page()
    problems: list[str] = []

    page.goto(f"/member/join/{token}/")
    check(page, problems, "join")
    page.get_by_label("Member ID").fill(Coverage.objects.get(member=member).member_number)
    page.get_by_label("Date of birth").fill(member.birth_date.isoformat())
    page.get_by_label("Choose a user name").fill("rosa")
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("The password again").fill(PASSWORD)
    page.get_by_role("button", name="Create my sign-in").click()
    page.wait_for_url("**/member/")
    check(page, problems, "home")

    page.get_by_role("link", name="Sharing my data with doctors and other plans").click()
    page.wait_for_url("**/member/sharing/")
    check(page, problems, "sharing")
    page.get_by_label("Send my data to my next health plan").check()
    page.get_by_role("button", name="Save my choices").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Your choices are saved.").is_visible()
    check(page, problems, "sharing saved")
    page.goto("/member/")

    page.get_by_role("link", name="MRI of the lower back").first.click()
    page.wait_for_url(f"**/member/requests/{denied_case.pk}/")
    check(page, problems, "request")
    assert page.get_by_text("You may appeal until").is_visible()

    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Si no está de acuerdo").is_visible()
    check(page, problems, "request (es)")

    page.get_by_label("¿Por qué debería el plan cambiar su decisión?").fill(
        "Sigo con dolor después de ocho semanas de ejercicios."
    )
    page.get_by_role("button", name="Enviar mi apelación").click()
    page.wait_for_load_state("networkidle")
    appeal = Appeal.objects.get(care_request=denied_case)
    assert page.get_by_text(f"Recibimos su apelación {appeal.reference}").is_visible()
    check(page, problems, "after appeal (es)")
    context.close()
    assert problems == [], "\n".join(problems)
