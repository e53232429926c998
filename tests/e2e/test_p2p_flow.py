"""End to end in Chromium: a nurse books a peer-to-peer for a denied case; the director holds
the call and overturns the denial; a reopening approval with its letters is issued."""

from datetime import timedelta

import pytest
from django.utils import timezone

from determinations.models import Determination, Letter
from intake.models import CareRequestStatus
from scheduling.models import PeerToPeer, Slot
from tests.e2e.conftest import login
from tests.factories import make_case
from tests.scheduling.conftest import deny_case


def slot_at(director, *, hours: int) -> Slot:
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=hours)
    return Slot.objects.create(
        director=director, starts_at=start, ends_at=start + timedelta(minutes=30)
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_nurse_books_and_director_overturns_after_the_call(
    page, intake_specialist, nurse, director, organization
):
    case = deny_case(
        make_case(actor=intake_specialist, organization=organization),
        intake=intake_specialist,
        nurse=nurse,
        director=director,
    )
    slot_at(director, hours=50)
    earliest = slot_at(director, hours=26)

    # The nurse opens the case's peer-to-peer and books the earliest offered slot.
    login(page, "nurse")
    page.goto(f"/scheduling/cases/{case.pk}/")
    page.get_by_role("link", name="Book a peer-to-peer").click()
    assert page.locator(f"#slot-{earliest.pk}").is_checked()
    page.get_by_label("Phone the director calls").fill("555-0101")
    page.get_by_label("E-mail for the calendar invite").fill("office@practice.example")
    page.get_by_role("button", name="Book the call").click()
    page.wait_for_load_state("networkidle")
    assert "Peer-to-peer booked" in page.content()
    p2p = PeerToPeer.objects.get(care_request=case)
    assert (p2p.status, p2p.slot_id) == ("scheduled", earliest.pk)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("networkidle")

    # Before the call, the director cannot record it as held: the booked times are ahead.
    login(page, "director")
    page.goto(f"/scheduling/p2p/{p2p.pk}/")
    page.get_by_label("Completed: the call was held").check()
    page.get_by_label("Who joined").fill("Dr. Brooks; Dr. Provider")
    page.get_by_label("Decision", exact=True).select_option("upheld")
    page.get_by_role("button", name="Record the call").click()
    page.wait_for_load_state("networkidle")
    assert "The call cannot end in the future" in page.content()
    assert PeerToPeer.objects.get(pk=p2p.pk).status == "scheduled"

    # The call's time comes and goes; the director holds the call, records it (the form offers
    # the booked times) and changes the decision.
    now = timezone.now().replace(second=0, microsecond=0)
    Slot.objects.filter(pk=earliest.pk).update(
        starts_at=now - timedelta(minutes=40), ends_at=now - timedelta(minutes=10)
    )
    page.goto(f"/scheduling/p2p/{p2p.pk}/")
    page.get_by_label("Completed: the call was held").check()
    page.get_by_label("Who joined").fill("Dr. Brooks; Dr. Provider")
    page.get_by_label("Notes").fill("Therapy notes from the last eight weeks were reviewed.")
    page.get_by_label("Decision", exact=True).select_option("changed")
    page.get_by_label("Rationale for the new decision").fill(
        "Eight weeks of physical therapy are documented; the criteria are met."
    )
    page.get_by_role("button", name="Record the call").click()
    page.wait_for_load_state("networkidle")
    assert "Call recorded." in page.content()
    assert "Decision changed" in page.content()

    case.refresh_from_db()
    assert case.status == CareRequestStatus.APPROVED
    reopening = Determination.objects.get(care_request=case, kind="reopening")
    assert (reopening.outcome, reopening.decided_by_id) == ("approved", director.pk)
    assert reopening.previous.kind == "initial"
    # The approval letters exist as outbox rows; rendering arrives with the determinations app.
    assert sorted(
        Letter.objects.filter(determination=reopening).values_list("recipient", "template")
    ) == [("member", "approval"), ("provider", "approval")]
    assert f"Reopening determination: Approved ({case.auth_number})" in page.content()
