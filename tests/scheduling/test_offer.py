"""The one-business-day offer: weekends and holidays skipped, the earliest slot first, and the
queue lead told once when nothing is free in time."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from intake.models import CareRequest, Queue
from scheduling.business_days import one_business_day_after
from scheduling.models import Holiday, P2POffer, Slot
from scheduling.services.offers import p2p_offer_slots
from tests.factories import UserFactory
from tests.scheduling.conftest import utc
from um_portal.audit.models import AuditEvent

NY = ZoneInfo("America/New_York")

# Friday 9 January 2026, 15:00 in New York (20:00 UTC).
FRIDAY_AFTERNOON = utc(2026, 1, 9, 20)


def slot(director, start, minutes=30):
    return Slot.objects.create(
        director=director, starts_at=start, ends_at=start + timedelta(minutes=minutes)
    )


def test_friday_afternoon_plus_one_business_day_is_monday_afternoon():
    assert one_business_day_after(FRIDAY_AFTERNOON, NY, set()) == utc(2026, 1, 12, 20)


def test_a_monday_holiday_moves_the_deadline_to_tuesday():
    holidays = {date(2026, 1, 12)}
    assert one_business_day_after(FRIDAY_AFTERNOON, NY, holidays) == utc(2026, 1, 13, 20)


def test_weekend_moment_counts_from_the_start_of_the_next_business_day():
    saturday = utc(2026, 1, 10, 15)
    # Counting starts Monday 00:00, so the deadline is the end of Monday (Tuesday 00:00 EST).
    assert one_business_day_after(saturday, NY, set()) == utc(2026, 1, 13, 5)


def test_deadline_across_the_spring_forward_weekend_keeps_the_wall_clock():
    friday = utc(2026, 3, 6, 20)  # 15:00 EST
    assert one_business_day_after(friday, NY, set()) == utc(2026, 3, 9, 19)  # 15:00 EDT


@pytest.mark.django_db
def test_offer_lists_free_slots_by_start_with_monday_slot_first(denied_case, director, director_la):
    later = slot(director, utc(2026, 1, 13, 15))
    monday = slot(director_la, utc(2026, 1, 12, 17))
    offer = p2p_offer_slots(case=denied_case, now=FRIDAY_AFTERNOON)
    assert offer.slots == [monday, later]
    assert offer.deadline == utc(2026, 1, 12, 20)
    assert offer.within_deadline is True
    record = P2POffer.objects.get(care_request=denied_case)
    assert (record.within_deadline, record.earliest_slot_at) == (True, monday.starts_at)
    assert AuditEvent.objects.filter(case_id=denied_case.pk, action="p2p.offered").count() == 1
    assert mail.outbox == []


@pytest.mark.django_db
def test_offer_skips_withdrawn_past_and_too_soon_slots(denied_case, director):
    slot(director, FRIDAY_AFTERNOON - timedelta(hours=1))
    slot(director, FRIDAY_AFTERNOON + timedelta(minutes=10))  # under the 30-minute notice
    gone = slot(director, utc(2026, 1, 12, 14))
    Slot.objects.filter(pk=gone.pk).update(is_withdrawn=True)
    ok = slot(director, utc(2026, 1, 12, 15))
    assert p2p_offer_slots(case=denied_case, now=FRIDAY_AFTERNOON).slots == [ok]


@pytest.mark.django_db
def test_holiday_monday_makes_tuesday_slot_in_time(denied_case, director):
    Holiday.objects.create(date=date(2026, 1, 12), name="Test holiday")
    tuesday = slot(director, utc(2026, 1, 13, 15))
    offer = p2p_offer_slots(case=denied_case, now=FRIDAY_AFTERNOON)
    assert (offer.earliest, offer.within_deadline) == (tuesday, True)


@pytest.mark.django_db
def test_no_slot_in_time_tells_the_queue_lead_once(
    denied_case, director, django_capture_on_commit_callbacks
):
    lead = UserFactory(username="lead", email="lead@um-portal.example")
    queue = Queue.objects.create(code="imaging-p2p", name="Imaging", lead=lead)
    CareRequest.objects.filter(pk=denied_case.pk).update(queue=queue)
    denied_case.refresh_from_db()
    slot(director, utc(2026, 1, 14, 15))  # Wednesday: later than one business day
    with django_capture_on_commit_callbacks(execute=True):
        offer = p2p_offer_slots(case=denied_case, now=FRIDAY_AFTERNOON)
    with django_capture_on_commit_callbacks(execute=True):
        p2p_offer_slots(case=denied_case, now=FRIDAY_AFTERNOON + timedelta(hours=1))
    assert offer.within_deadline is False
    assert [m.to for m in mail.outbox] == [["lead@um-portal.example"]]
    assert mail.outbox[0].subject == (
        f"No peer-to-peer slot within one business day: case {denied_case.reference}"
    )
    events = AuditEvent.objects.filter(case_id=denied_case.pk, action="p2p.no_slot_in_time")
    assert [e.summary for e in events] == [
        f"No peer-to-peer slot within one business day; told {lead.display_name}."
    ]
    assert P2POffer.objects.get(care_request=denied_case).lead_notified_at == FRIDAY_AFTERNOON


@pytest.mark.django_db
def test_without_a_queue_lead_the_managers_are_told(
    denied_case, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        offer = p2p_offer_slots(case=denied_case, now=FRIDAY_AFTERNOON)
    assert offer.slots == []
    assert [m.to for m in mail.outbox] == [[manager.email]]


@pytest.mark.django_db
def test_offer_summary_in_the_case_history(denied_case, director):
    slot(director, utc(2026, 1, 14, 15))
    p2p_offer_slots(case=denied_case, now=FRIDAY_AFTERNOON)
    assert AuditEvent.objects.get(action="p2p.offered").summary == (
        "Peer-to-peer offered; earliest slot 2026-01-14 10:00 EST. None within one business day."
    )


@pytest.mark.django_db
def test_sweep_offers_recently_denied_cases_once(denied_case, director):
    from scheduling.tasks import p2p_offer_sweep

    slot(director, utc(2030, 1, 14, 15))
    assert p2p_offer_sweep() == 1
    assert p2p_offer_sweep() == 0
    assert P2POffer.objects.filter(care_request=denied_case).count() == 1


def test_us_federal_holidays_use_observed_dates():
    from scheduling.holidays import us_federal_holidays

    days = dict((name, day) for day, name in us_federal_holidays(2026))
    assert days["Independence Day"] == date(2026, 7, 3)  # 4 July 2026 is a Saturday
    assert days["Thanksgiving Day"] == date(2026, 11, 26)
    assert days["Birthday of Martin Luther King, Jr."] == date(2026, 1, 19)
    assert days["Memorial Day"] == date(2026, 5, 25)
    assert len(days) == 11
