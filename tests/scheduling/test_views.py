"""Scheduling pages: who may use them, what they write, and what they cost."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from intake.models import StatusEvent
from scheduling.models import AvailabilityRule, PeerToPeer, Slot
from scheduling.services.booking import p2p_book
from tests.factories import make_case
from tests.scheduling.conftest import deny_case
from um_portal.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def booking_post(slot, **extra):
    return {
        "slot": str(slot.pk),
        "contact_name": "Dr. Provider",
        "contact_phone": "555-0101",
        "contact_email": "office@practice.example",
        **extra,
    }


@pytest.fixture
def booked(denied_case, nurse, make_slot):
    return p2p_book(
        case=denied_case,
        slot=make_slot(),
        actor=nurse,
        contact_name="Dr. Provider",
        contact_phone="555-0101",
    )


def test_every_scheduling_page_needs_a_login(client, denied_case, booked):
    urls = [
        reverse("scheduling:calendar"),
        reverse("scheduling:free_slots"),
        reverse("scheduling:availability"),
        reverse("scheduling:case", args=[denied_case.pk]),
        reverse("scheduling:book", args=[denied_case.pk]),
        reverse("scheduling:p2p", args=[booked.pk]),
        reverse("scheduling:reschedule", args=[booked.pk]),
        reverse("scheduling:cancel", args=[booked.pk]),
        reverse("scheduling:invite", args=[booked.pk]),
        reverse("scheduling:portal_request", args=[denied_case.pk]),
        reverse("scheduling:portal_cancel", args=[denied_case.pk, booked.pk]),
        reverse("scheduling:portal_reschedule", args=[denied_case.pk, booked.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


@pytest.mark.parametrize("persona", ["intake", "manager", "provider"])
def test_staff_pages_refuse_other_roles(persona, personas, client_for, denied_case):
    client = client_for(personas[persona])
    for name in ("scheduling:calendar", "scheduling:free_slots"):
        assert client.get(reverse(name)).status_code == 403
    assert client.get(reverse("scheduling:book", args=[denied_case.pk])).status_code == 403


def test_nurse_books_from_the_case(client_for, nurse, denied_case, make_slot):
    later, earliest = make_slot(50), make_slot(26)
    client = client_for(nurse)
    page = client.get(reverse("scheduling:book", args=[denied_case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'value="{earliest.pk}" checked' in html
    assert html.index(str(earliest.pk)) < html.index(str(later.pk))
    response = client.post(reverse("scheduling:book", args=[denied_case.pk]), booking_post(later))
    p2p = PeerToPeer.objects.get(care_request=denied_case)
    assert response.status_code == 302
    assert response["Location"] == reverse("scheduling:p2p", args=[p2p.pk])
    assert p2p.slot == later


def test_booking_a_taken_slot_shows_a_clear_message(
    client_for, nurse, booked, make_slot, intake_specialist, director, organization
):
    from tests.factories import make_case
    from tests.scheduling.conftest import deny_case

    other = deny_case(
        make_case(actor=intake_specialist, organization=organization),
        intake=intake_specialist,
        nurse=nurse,
        director=director,
    )
    response = client_for(nurse).post(
        reverse("scheduling:book", args=[other.pk]), booking_post(booked.slot)
    )
    assert response.status_code == 400
    assert "That slot was just taken" in response.content.decode()
    assert not PeerToPeer.objects.filter(care_request=other).exists()


def test_provider_requests_from_the_portal(client_for, provider_user, denied_case, make_slot):
    slot = make_slot()
    url = reverse("scheduling:portal_request", args=[denied_case.pk])
    client = client_for(provider_user)
    assert client.get(url).status_code == 200
    response = client.post(url, booking_post(slot))
    assert (response.status_code, response["Location"]) == (302, url)
    p2p = PeerToPeer.objects.get(care_request=denied_case)
    assert (p2p.requested_by, p2p.slot) == (provider_user, slot)
    assert "Your call is booked" in client.get(url).content.decode()


def test_provider_of_another_organisation_gets_404_and_writes_nothing(
    client_for, outsider, denied_case, make_slot
):
    slot = make_slot()
    url = reverse("scheduling:portal_request", args=[denied_case.pk])
    client = client_for(outsider)
    assert client.get(url).status_code == 404
    assert client.post(url, booking_post(slot)).status_code == 404
    assert PeerToPeer.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="p2p.").exists()


def test_provider_after_the_window_cannot_request(
    client_for, provider_user, denied_case, make_slot, settings
):
    settings.P2P_REQUEST_WINDOW_DAYS = 14
    StatusEvent.objects.filter(care_request=denied_case, to_status="denied").update(
        at=timezone.now() - timedelta(days=15)
    )
    url = reverse("scheduling:portal_request", args=[denied_case.pk])
    client = client_for(provider_user)
    assert "Please call us" in client.get(url).content.decode()
    assert client.post(url, booking_post(make_slot())).status_code == 409
    assert PeerToPeer.objects.count() == 0


def call_has_happened(p2p, *, minutes_ago: int = 10) -> PeerToPeer:
    """Move the booked slot into the past, as if its time had come and gone."""
    end = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=minutes_ago)
    Slot.objects.filter(pk=p2p.slot_id).update(starts_at=end - timedelta(minutes=30), ends_at=end)
    p2p.refresh_from_db()
    return PeerToPeer.objects.select_related("slot").get(pk=p2p.pk)


def on_clock(user, moment) -> str:
    """A moment as the director types it into <input type="datetime-local">: in the plan's time
    zone, which the label names, whatever the director's own."""
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).strftime("%Y-%m-%dT%H:%M")


def test_director_records_the_call_and_nurse_cannot(client_for, nurse, director, booked):
    booked = call_has_happened(booked)
    url = reverse("scheduling:p2p", args=[booked.pk])
    data = {
        "call_status": "completed",
        "attendees": "Dr. Brooks, Dr. Provider",
        "started_at": on_clock(director, booked.slot.starts_at + timedelta(minutes=3)),
        "ended_at": on_clock(director, booked.slot.starts_at + timedelta(minutes=21)),
        "notes": "Discussed.",
        "decision": "upheld",
    }
    nurse_client = client_for(nurse)
    assert nurse_client.post(url, data).status_code == 403
    booked.refresh_from_db()
    assert booked.status == "scheduled"
    assert "Record the call" not in nurse_client.get(url).content.decode()
    response = client_for(director).post(url, data)
    assert response.status_code == 302
    booked.refresh_from_db()
    assert (booked.status, booked.outcome) == ("completed", "upheld")
    assert (booked.started_at, booked.ended_at) == (
        booked.slot.starts_at + timedelta(minutes=3),
        booked.slot.starts_at + timedelta(minutes=21),
    )


def test_recording_a_call_before_it_happens_answers_400_and_changes_nothing(
    client_for, director, provider_user, booked, make_slot, intake_specialist, nurse, organization
):
    """Issue 14: the booked (future) times were accepted, the slot showed free again and
    another provider could book it."""
    make_slot(27)  # another time the provider can be offered
    url = reverse("scheduling:p2p", args=[booked.pk])
    page = client_for(director).get(url).content.decode()
    start, end = on_clock(director, booked.slot.starts_at), on_clock(director, booked.slot.ends_at)
    assert f'name="started_at" value="{start}"' in page  # the booked times are offered
    response = client_for(director).post(
        url,
        {
            "call_status": "completed",
            "attendees": "Dr. Brooks, Dr. Provider",
            "started_at": start,
            "ended_at": end,
            "decision": "upheld",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "The call cannot start in the future" in html
    assert "The call cannot end in the future" in html
    booked.refresh_from_db()
    assert (booked.status, booked.recorded_at, booked.started_at) == ("scheduled", None, None)
    assert not AuditEvent.objects.filter(action="p2p.call_recorded").exists()
    other = deny_case(
        make_case(actor=intake_specialist, organization=organization),
        intake=intake_specialist,
        nurse=nurse,
        director=director,
    )
    portal = client_for(provider_user).get(reverse("scheduling:portal_request", args=[other.pk]))
    assert portal.status_code == 200
    assert 'name="slot"' in portal.content.decode()  # times are offered, not this one
    assert str(booked.slot_id) not in portal.content.decode()


def test_record_form_errors_answer_400(client_for, director, booked):
    url = reverse("scheduling:p2p", args=[booked.pk])
    response = client_for(director).post(url, {"call_status": "completed", "decision": "changed"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Explain the new decision in plain language." in html
    assert "Who joined the call?" in html
    booked.refresh_from_db()
    assert booked.status == "scheduled"


def test_nurse_cancels_and_the_slot_is_free_again(client_for, nurse, booked):
    response = client_for(nurse).post(
        reverse("scheduling:cancel", args=[booked.pk]), {"reason": "Asked by office"}
    )
    assert response.status_code == 302
    booked.refresh_from_db()
    assert (booked.status, booked.cancel_reason) == ("cancelled", "Asked by office")


def test_nurse_reschedules(client_for, nurse, booked, make_slot):
    new = make_slot(40)
    response = client_for(nurse).post(
        reverse("scheduling:reschedule", args=[booked.pk]), {"slot": str(new.pk)}
    )
    assert response.status_code == 302
    booked.refresh_from_db()
    assert (booked.slot, booked.sequence) == (new, 1)


def test_director_adds_a_weekly_window(client_for, director):
    with time_machine.travel(datetime(2026, 11, 22, 12, tzinfo=UTC), tick=False):  # a Sunday
        response = client_for(director).post(
            reverse("scheduling:availability"),
            {
                "form": "rule",
                "rule-weekday": "0",
                "rule-start_time": "09:00",
                "rule-end_time": "10:00",
                "rule-slot_minutes": "30",
            },
        )
    assert response.status_code == 302
    rule = AvailabilityRule.objects.get(director=director)
    assert (rule.start_time, rule.end_time) == (time(9), time(10))
    assert Slot.objects.filter(director=director).count() == 8  # four Mondays × two slots


def test_bad_window_answers_400_and_writes_nothing(client_for, director):
    response = client_for(director).post(
        reverse("scheduling:availability"),
        {
            "form": "rule",
            "rule-weekday": "0",
            "rule-start_time": "10:00",
            "rule-end_time": "09:00",
            "rule-slot_minutes": "30",
        },
    )
    assert response.status_code == 400
    assert "End after the start" in response.content.decode()
    assert AvailabilityRule.objects.count() == 0


def test_director_cannot_remove_another_directors_window(client_for, director, director_la):
    rule = AvailabilityRule.objects.create(
        director=director_la,
        weekday=0,
        start_time=time(9),
        end_time=time(10),
        valid_from=timezone.localdate(),
    )
    url = reverse("scheduling:availability_rule_delete", args=[rule.uid])
    assert client_for(director).post(url).status_code == 404
    assert AvailabilityRule.objects.filter(pk=rule.pk).exists()


def test_calendar_shows_the_directors_week(
    client_for, director, booked, make_slot, django_assert_num_queries
):
    make_slot(26.5)  # the half hour after the booked slot: same day, same week
    client = client_for(director)
    week = timezone.localdate(booked.slot.starts_at)
    url = reverse("scheduling:calendar") + f"?week={week:%Y-%m-%d}"
    # session, user, groups, directors, slots, bookings, the navigation's unread-notification
    # count; then the session save (3, savepoint)
    with django_assert_num_queries(10):
        response = client.get(url)
    html = response.content.decode()
    assert booked.care_request.reference in html
    assert html.count('class="free"') == 1


def test_free_slots_page_costs_the_same_for_many_slots(
    client_for, nurse, director, director_la, make_slot, django_assert_num_queries
):
    for hours in range(26, 36):
        make_slot(hours)
        make_slot(hours, who=director_la)
    client = client_for(nurse)
    # session, user, groups, slots with their directors, the navigation's unread-notification
    # count; then the session save (3, savepoint)
    with django_assert_num_queries(8):
        response = client.get(reverse("scheduling:free_slots"))
    assert "20 free slots." in response.content.decode()


def test_case_panel_renders_offer_and_booking(nurse, denied_case, make_slot):
    make_slot()
    request = RequestFactory().get("/")
    request.user = nurse
    html = render_to_string(
        "scheduling/includes/case_panel.html", {"case": denied_case}, request=request
    )
    assert "Earliest free slot" in html
    assert reverse("scheduling:book", args=[denied_case.pk]) in html


def _nav_links(html: str, label: str) -> list[tuple[str, str]]:
    """(href, text) of the links inside <nav aria-label="label">."""
    import re

    block = re.search(rf'<nav[^>]*aria-label="{label}"[^>]*>(.*?)</nav>', html, re.S)
    assert block, f"no {label} navigation"
    return [
        (href, re.sub(r"<[^>]+>", "", text).strip())
        for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', block.group(1), re.S)
    ]


@pytest.mark.parametrize(
    ("persona", "tabs"),
    [
        ("nurse", ["Calendar", "Free slots"]),
        ("director", ["Calendar", "Free slots", "My availability"]),
    ],
)
def test_scheduling_has_one_entry_in_the_header_and_its_pages_as_tabs(
    persona, tabs, personas, client_for
):
    """Issue 14: the header listed "P2P calendar", "Free P2P slots" and "My availability"
    twice on scheduling pages."""
    pages = ["scheduling:calendar", "scheduling:free_slots"]
    if persona == "director":
        pages.append("scheduling:availability")
    client = client_for(personas[persona])
    for name in [*pages, "review:dashboard"]:
        html = client.get(reverse(name)).content.decode()
        main = _nav_links(html, "Main")
        scheduling = [(h, t) for h, t in main if h.startswith("/scheduling/")]
        assert scheduling == [(reverse("scheduling:calendar"), "Peer-to-peer")], name
        assert len(main) == len(set(main)), name
        if name in pages:
            assert [t for _, t in _nav_links(html, "Peer-to-peer")] == tabs
            assert f'<a href="{reverse(name)}" aria-current="page">' in html
