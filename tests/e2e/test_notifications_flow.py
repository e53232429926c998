"""End to end in Chromium: a nurse sees her unread clock warnings in the navigation and on the
dashboard, reads them, opens the case from a warning and extends its clock."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from intake.models import CareRequest
from review.models import Notification
from review.services.nurse_review import care_request_nurse_request_info
from tests.e2e.conftest import login
from tests.factories import make_case
from tests.review.conftest import to_nurse_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def warned(intake_specialist, nurse):
    case = to_nurse_review(make_case(actor=intake_specialist), intake=intake_specialist)
    CareRequest.objects.filter(pk=case.pk).update(assigned_to=nurse)
    care_request_nurse_request_info(
        care_request=CareRequest.objects.get(pk=case.pk),
        nurse=nurse,
        description="Send the imaging report.",
        due_by=timezone.now() + timedelta(days=2),
    )
    for kind, hours in (("at_risk", 5), ("breached", -1)):
        Notification.objects.create(
            user=nurse,
            care_request=case,
            kind=kind,
            due_at=timezone.now() + timedelta(hours=hours),
            message=f"Case {case.reference}.",
        )
    return CareRequest.objects.get(pk=case.pk)


def test_nurse_reads_her_warnings_and_extends_the_clock(page, warned):
    login(page, "nurse")
    page.goto("/review/")
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Notifications 2 unread").wait_for()
    page.get_by_text("2 unread warnings").wait_for()
    page.get_by_role("link", name="Read them").click()

    page.get_by_role("heading", name="Notifications").wait_for()
    page.get_by_role("button", name=re.compile(r"Mark read \(Past due")).click()
    nav.get_by_role("link", name="Notifications 1 unread").wait_for()
    page.get_by_role("button", name="Mark all read").click()
    page.get_by_text("1 notification marked read.").wait_for()
    assert nav.get_by_role("link", name="Notifications", exact=True).count() == 1

    page.get_by_role("link", name="All", exact=True).click()
    page.get_by_role("link", name=warned.reference).first.click()
    page.get_by_role("heading", name="Actions").wait_for()
    page.locator("#clock-extension summary").click()
    page.get_by_label("Extend by (calendar days)").fill("7")
    page.get_by_label("Reason").select_option("member_request")
    page.get_by_label("Details").fill("Member asked by phone for time to gather records.")
    page.locator("#clock-extension button[type=submit]").click()
    page.get_by_text("Clock extended by 7 days").wait_for()
    page.get_by_text("Extended by 7 days:").wait_for()

    case = CareRequest.objects.get(pk=warned.pk)
    assert case.due_at == warned.due_at + timedelta(days=7)
    assert case.original_due_at == warned.due_at
