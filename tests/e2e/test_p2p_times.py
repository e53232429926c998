"""Peer-to-peer times in Chromium: the plan's time zone, named, in the one format of every page;
a provider on another clock also reads their own time, after the plan's."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone

from scheduling.models import Slot
from tests.e2e.conftest import login
from tests.factories import make_case
from tests.scheduling.conftest import deny_case

LA = ZoneInfo("America/Los_Angeles")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_provider_in_another_zone_sees_the_plans_time_first_and_their_own_after(
    page, intake_specialist, nurse, director, organization, provider_user
):
    provider_user.time_zone = "America/Los_Angeles"
    provider_user.save()
    case = deny_case(
        make_case(actor=intake_specialist, organization=organization),
        intake=intake_specialist,
        nurse=nurse,
        director=director,
    )
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=30)
    slot = Slot.objects.create(
        director=director, starts_at=start, ends_at=start + timedelta(minutes=30)
    )
    plan = ZoneInfo(settings.TIME_ZONE)
    first, last, mine = start.astimezone(plan), slot.ends_at.astimezone(plan), start.astimezone(LA)

    login(page, "provider")
    page.goto(f"/scheduling/portal/cases/{case.pk}/request/")
    label = page.locator(f"label[for='slot-{slot.pk}']").inner_text()
    assert label.startswith(
        f"{first:%Y-%m-%d %H:%M}–{last:%H:%M %Z} (your time: {mine:%Y-%m-%d %H:%M %Z})"
    )
    page.get_by_role("button", name="Sign out").click()

    # The director's calendar names the plan's zone and lists the slot at the plan's time.
    login(page, "director")
    page.goto(f"/scheduling/calendar/?week={first:%Y-%m-%d}")
    assert page.get_by_text(f"Times in the plan's time zone, {settings.TIME_ZONE}.").is_visible()
    day = page.get_by_role("region", name=f"{first:%A %Y-%m-%d}")
    assert day.locator(".time").first.inner_text() == f"{first:%H:%M}"
