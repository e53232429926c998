"""The provider cancels or moves their peer-to-peer call from the portal.

Who may (the case's provider, through the organisation's `change` grant; nobody else), when (a
standing call that has not started), what it writes (the booking, the audit event, the invites)
and what it shows when it refuses (a clear message, nothing changed).
"""

import threading
from datetime import timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from intake.models import CareRequestGroupObjectPermission
from scheduling import urls as scheduling_urls
from scheduling.models import PeerToPeer, Slot
from scheduling.selectors import free_slots
from scheduling.services.booking import (
    CALL_HAS_PASSED,
    SlotTaken,
    p2p_book,
    p2p_cancel,
    p2p_reschedule,
)
from tests.factories import make_case
from tests.scheduling.conftest import deny_case
from um_portal.audit.models import AuditEvent
from um_portal.lib.errors import InvalidTransition, NotPermitted
from um_portal.lib.template_formats import when

TAKEN_ON_FORM = "That slot was just taken or is no longer offered. Please choose another time."
TAKEN_IN_SERVICE = "That slot was just taken. Please choose another time."

# Every provider URL of scheduling, with the method that acts on it.
PORTAL_URLS = {"portal_request": "post", "portal_cancel": "post", "portal_reschedule": "post"}


def book(case, slot, actor):
    return p2p_book(
        case=case,
        slot=slot,
        actor=actor,
        contact_name="Dr. Provider",
        contact_phone="555-0101",
        contact_email="office@practice.example",
    )


@pytest.fixture
def booked(denied_case, provider_user, make_slot, django_capture_on_commit_callbacks):
    """The provider's call, 26 hours ahead, with its first invites already sent."""
    with django_capture_on_commit_callbacks(execute=True):
        p2p = book(denied_case, make_slot(26), provider_user)
    mail.outbox.clear()
    return p2p


@pytest.fixture
def other_denied_case(intake_specialist, nurse, director, organization):
    return deny_case(
        make_case(actor=intake_specialist, organization=organization),
        intake=intake_specialist,
        nurse=nurse,
        director=director,
    )


def url(name, p2p):
    if name == "portal_request":
        return reverse(f"scheduling:{name}", args=[p2p.care_request_id])
    return reverse(f"scheduling:{name}", args=[p2p.care_request_id, p2p.pk])


def page_url(p2p):
    return url("portal_request", p2p)


def post_data(slot=None):
    data = {"reason": "The surgeon is in theatre.", "contact_name": "x", "contact_phone": "1"}
    if slot is not None:
        data["slot"] = str(slot.pk)
    return data


def snapshot():
    """Everything a change could write: the bookings, their audit trail and the invites."""
    return (
        list(
            PeerToPeer.objects.order_by("pk").values_list(
                "pk", "status", "slot_id", "sequence", "cancel_reason"
            )
        ),
        list(AuditEvent.objects.filter(action__startswith="p2p.").values_list("pk", flat=True)),
        len(mail.outbox),
    )


def invite(message):
    (name, content, mimetype) = message.attachments[0]
    (event,) = Calendar.from_ical(content).walk("VEVENT")
    return mimetype, event


# --- the provider cancels and moves --------------------------------------------------------------


@pytest.mark.django_db
def test_provider_cancels_the_call_and_the_slot_is_free_again(
    client_for, provider_user, booked, django_capture_on_commit_callbacks
):
    slot = booked.slot
    client = client_for(provider_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("portal_cancel", booked), {"reason": "Surgeon unavailable"})
    assert (response.status_code, response["Location"]) == (302, page_url(booked))

    booked.refresh_from_db()
    assert (booked.status, booked.cancelled_by, booked.cancel_reason, booked.sequence) == (
        "cancelled",
        provider_user,
        "Surgeon unavailable",
        1,
    )
    assert slot in free_slots(now=timezone.now())
    event = AuditEvent.objects.get(action="p2p.cancelled")
    assert (event.actor, event.case_id) == (provider_user, booked.care_request_id)
    assert event.summary == "Peer-to-peer cancelled by the provider: Surgeon unavailable"
    assert sorted(m.to[0] for m in mail.outbox) == [
        slot.director.email,
        "office@practice.example",
    ]
    for message in mail.outbox:
        mimetype, ics = invite(message)
        assert mimetype == "text/calendar; method=CANCEL; charset=UTF-8"
        assert (str(ics["UID"]), int(ics["SEQUENCE"])) == (booked.ics_uid, 1)
    page = client.get(page_url(booked)).content.decode()
    assert "The call is cancelled" in page
    assert "Your call is booked" not in page


@pytest.mark.django_db
def test_provider_moves_the_call_to_another_offered_time(
    client_for, provider_user, booked, make_slot, django_capture_on_commit_callbacks
):
    old, new = booked.slot, make_slot(30)
    client = client_for(provider_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("portal_reschedule", booked), post_data(new))
    assert (response.status_code, response["Location"]) == (302, page_url(booked))

    active = PeerToPeer.objects.get(care_request=booked.care_request, status="scheduled")
    assert (active.pk, active.slot, active.sequence) == (booked.pk, new, 1)
    assert PeerToPeer.objects.filter(care_request=booked.care_request).count() == 1
    offered = set(free_slots(now=timezone.now()))
    assert old in offered and new not in offered
    event = AuditEvent.objects.get(action="p2p.rescheduled")
    assert event.actor == provider_user
    assert event.summary.startswith(
        f"Peer-to-peer moved by the provider from {when(old.starts_at)} to "
    )
    assert event.data == {"p2p": str(booked.pk), "from_slot": str(old.pk), "slot": str(new.pk)}
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert message.subject.startswith("Peer-to-peer updated: case ")
        mimetype, ics = invite(message)
        assert mimetype == "text/calendar; method=REQUEST; charset=UTF-8"
        assert (str(ics["UID"]), int(ics["SEQUENCE"])) == (booked.ics_uid, 1)
        assert ics.decoded("DTSTART") == new.starts_at


@pytest.mark.django_db
def test_the_page_shows_the_call_in_the_plans_time_then_the_providers_with_both_changes(
    client_for, provider_user, booked, make_slot
):
    """One format and the plan's named zone on every page; a provider in another state also
    reads the call on their own clock, after it."""
    provider_user.time_zone = "America/Los_Angeles"
    provider_user.save()
    other = make_slot(30)
    page = client_for(provider_user).get(page_url(booked))
    html = page.content.decode()
    slot = booked.slot
    plan = slot.starts_at.astimezone(ZoneInfo(settings.TIME_ZONE))
    local = slot.starts_at.astimezone(ZoneInfo("America/Los_Angeles"))
    end = slot.ends_at.astimezone(ZoneInfo(settings.TIME_ZONE))
    assert f"{plan:%Y-%m-%d %H:%M}–{end:%H:%M %Z} (your time: {local:%Y-%m-%d %H:%M %Z})" in html
    assert booked.slot.director.display_name in html
    assert url("portal_cancel", booked) in html
    assert url("portal_reschedule", booked) in html
    assert "Cancel the call" in html and "Choose another time" in html
    assert f'value="{other.pk}"' in html
    assert f'value="{booked.slot.pk}"' not in html  # its own time is not "another time"
    assert "csrfmiddlewaretoken" in html


@pytest.mark.django_db
def test_the_portal_case_page_links_the_booked_call(client_for, provider_user, booked):
    html = client_for(provider_user).get(reverse("portal:case", args=[booked.care_request_id]))
    html = html.content.decode()
    assert "Your call is booked" in html
    assert "Choose another time or cancel the call" in html
    assert page_url(booked) in html


# Session, user, groups (the role), the care request permission ids, the granted case, the access
# audit row, the denial's status event, the booking with its slot and director, the free times
# with their directors, the nav's organisation; then the session save (3, savepoint).
PAGE_QUERIES = 13


@pytest.mark.django_db
def test_the_page_costs_the_same_however_many_times_are_free(
    client_for, provider_user, booked, make_slot, director_la, django_assert_num_queries
):
    client = client_for(provider_user)
    client.get(page_url(booked))  # warm the session
    for extra in (0, 10):
        for hours in range(40, 40 + extra):
            make_slot(hours, who=director_la)
        with django_assert_num_queries(PAGE_QUERIES):
            response = client.get(page_url(booked))
        assert len(response.context["move_slots"]) == extra


# --- refusals: a clear message, nothing changed --------------------------------------------------


@pytest.mark.django_db
def test_cancelling_needs_a_reason(client_for, provider_user, booked):
    before = snapshot()
    response = client_for(provider_user).post(url("portal_cancel", booked), {"reason": "  "})
    assert response.status_code == 400
    assert "Tell the medical director briefly why the call is off." in response.content.decode()
    assert snapshot() == before


@pytest.mark.django_db
def test_moving_without_choosing_a_time_changes_nothing(client_for, provider_user, booked):
    before = snapshot()
    response = client_for(provider_user).post(url("portal_reschedule", booked), {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert snapshot() == before


@pytest.mark.django_db
def test_moving_to_a_time_someone_just_booked_shows_the_message(
    client_for, provider_user, booked, make_slot, nurse, other_denied_case
):
    wanted = make_slot(30)
    client = client_for(provider_user)
    assert f'value="{wanted.pk}"' in client.get(page_url(booked)).content.decode()
    book(other_denied_case, wanted, nurse)  # between the page and the click
    before = snapshot()
    response = client.post(url("portal_reschedule", booked), post_data(wanted))
    assert response.status_code == 400
    html = response.content.decode()
    assert TAKEN_ON_FORM in html
    assert "<details open>" in html  # the list of times is open again for the next choice
    assert snapshot() == before


@pytest.mark.django_db
def test_a_time_taken_after_the_form_was_checked_loses_the_race_in_the_database(
    client_for, provider_user, booked, make_slot, nurse, other_denied_case
):
    """The form saw the time free (as the offer read a moment earlier); the other booking
    committed first, and the slot_booked_once constraint decides: a clear message, no change."""
    wanted = make_slot(30)
    book(other_denied_case, wanted, nurse)
    before = snapshot()
    with mock.patch(
        "scheduling.views.portal._move_slots", return_value=Slot.objects.filter(pk=wanted.pk)
    ):
        response = client_for(provider_user).post(
            url("portal_reschedule", booked), post_data(wanted)
        )
    assert response.status_code == 409
    assert TAKEN_IN_SERVICE in response.content.decode()
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["portal_cancel", "portal_reschedule"])
def test_a_completed_call_cannot_be_changed(change, client_for, provider_user, booked, make_slot):
    PeerToPeer.objects.filter(pk=booked.pk).update(status="completed", outcome="upheld")
    before = snapshot()
    response = client_for(provider_user).post(url(change, booked), post_data(make_slot(30)))
    assert response.status_code == 409
    assert "This peer-to-peer is already Completed." in response.content.decode()
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["portal_cancel", "portal_reschedule"])
def test_a_call_whose_time_has_passed_cannot_be_changed(
    change, client_for, provider_user, booked, make_slot
):
    later = make_slot(30)
    now = timezone.now()
    Slot.objects.filter(pk=booked.slot_id).update(
        starts_at=now - timedelta(minutes=5), ends_at=now + timedelta(minutes=25)
    )
    client = client_for(provider_user)
    page = client.get(page_url(booked)).content.decode()
    assert "The time of this call has passed" in page
    assert url(change, booked) not in page
    before = snapshot()
    response = client.post(url(change, booked), post_data(later))
    assert response.status_code == 409
    assert CALL_HAS_PASSED in response.content.decode()
    assert snapshot() == before


@pytest.mark.django_db
def test_a_change_to_a_booking_no_longer_standing_says_so(
    client_for, provider_user, booked, nurse, make_slot
):
    """The nurse cancelled and booked again meanwhile: the old page's cancel does not reach the
    new booking."""
    p2p_cancel(p2p=booked, actor=nurse, reason="Moved by phone")
    rebooked = book(booked.care_request, make_slot(30), nurse)
    before = snapshot()
    response = client_for(provider_user).post(url("portal_cancel", booked), post_data())
    assert response.status_code == 409
    assert "This peer-to-peer is already Cancelled." in response.content.decode()
    assert snapshot() == before
    rebooked.refresh_from_db()
    assert rebooked.status == "scheduled"


@pytest.mark.django_db
def test_changes_need_the_csrf_token(provider_user, booked, make_slot):
    client = Client(enforce_csrf_checks=True)
    client.force_login(provider_user)
    before = snapshot()
    for change in ("portal_cancel", "portal_reschedule"):
        assert (
            client.post(url(change, booked), post_data(make_slot(30 + len(change)))).status_code
            == 403
        )
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["portal_cancel", "portal_reschedule"])
def test_changes_are_post_only(change, client_for, provider_user, booked):
    before = snapshot()
    assert client_for(provider_user).get(url(change, booked)).status_code == 405
    assert snapshot() == before


# --- who: the case's provider, through the grant; nobody else ------------------------------------


def test_every_provider_url_of_scheduling_is_covered_and_needs_the_provider_role():
    patterns = [p for p in scheduling_urls.urlpatterns if str(p.pattern).startswith("portal/")]
    assert {p.name for p in patterns} == set(PORTAL_URLS)
    for pattern in patterns:
        assert pattern.callback.required_roles == ("provider",), pattern.name


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PORTAL_URLS))
def test_another_organisations_provider_gets_404_and_nothing_changes(
    name, client_for, outsider, booked, make_slot
):
    client = client_for(outsider)
    before = snapshot()
    assert client.post(url(name, booked), post_data(make_slot(30))).status_code == 404
    if name == "portal_request":
        assert client.get(url(name, booked)).status_code == 404
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["portal_cancel", "portal_reschedule"])
def test_a_booking_of_another_case_answers_404(
    name, client_for, provider_user, booked, make_slot, nurse, other_denied_case
):
    """The provider's own case in the URL does not open a booking of a different case."""
    theirs = book(other_denied_case, make_slot(27), nurse)
    before = snapshot()
    wrong = reverse(f"scheduling:{name}", args=[theirs.care_request_id, booked.pk])
    response = client_for(provider_user).post(wrong, post_data(make_slot(30)))
    assert response.status_code == 404
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PORTAL_URLS))
def test_same_organisation_without_the_change_grant_gets_404(
    name, client_for, provider_user, booked, make_slot
):
    CareRequestGroupObjectPermission.objects.filter(
        content_object=booked.care_request, permission__codename="change_carerequest"
    ).delete()
    before = snapshot()
    response = client_for(provider_user).post(url(name, booked), post_data(make_slot(30)))
    assert response.status_code == 404
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["intake", "nurse", "director", "manager"])
def test_staff_cannot_use_the_portal_urls(persona, personas, client_for, booked, make_slot):
    client = client_for(personas[persona])
    later = make_slot(30)
    before = snapshot()
    for name in PORTAL_URLS:
        assert client.get(url(name, booked)).status_code == 403, name
        assert client.post(url(name, booked), post_data(later)).status_code == 403, name
    assert snapshot() == before


# --- the services decide, not only the views -----------------------------------------------------


@pytest.mark.django_db
def test_provider_of_another_organisation_cannot_change_through_the_services(
    outsider, booked, make_slot
):
    before = snapshot()
    with pytest.raises(NotPermitted):
        p2p_cancel(p2p=booked, actor=outsider, reason="x")
    with pytest.raises(NotPermitted):
        p2p_reschedule(p2p=booked, slot=make_slot(30), actor=outsider)
    assert snapshot() == before


@pytest.mark.django_db
def test_the_services_refuse_the_provider_a_started_call_but_let_staff_tidy_it_up(
    provider_user, nurse, booked, make_slot
):
    later = make_slot(30)
    after_start = booked.slot.starts_at + timedelta(minutes=1)
    with pytest.raises(InvalidTransition) as err:
        p2p_cancel(p2p=booked, actor=provider_user, reason="x", now=after_start)
    assert err.value.message == CALL_HAS_PASSED
    with pytest.raises(InvalidTransition):
        p2p_reschedule(p2p=booked, slot=later, actor=provider_user, now=after_start)
    booked.refresh_from_db()
    assert (booked.status, booked.slot_id) == ("scheduled", booked.slot.pk)

    p2p_cancel(p2p=booked, actor=nurse, reason="Nobody joined", now=after_start)
    booked.refresh_from_db()
    assert booked.status == "cancelled"


@pytest.mark.django_db
def test_staff_audit_summaries_are_unchanged(nurse, booked, make_slot):
    moved = p2p_reschedule(p2p=booked, slot=make_slot(30), actor=nurse)
    p2p_cancel(p2p=moved, actor=nurse, reason="Asked by office")
    summaries = dict(
        AuditEvent.objects.filter(action__in=["p2p.rescheduled", "p2p.cancelled"]).values_list(
            "action", "summary"
        )
    )
    assert summaries["p2p.rescheduled"].startswith("Peer-to-peer moved from ")
    assert summaries["p2p.cancelled"] == "Peer-to-peer cancelled: Asked by office"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_provider_moving_and_a_nurse_booking_the_same_time_at_once_gives_it_to_one(
    require_postgres, intake_specialist, nurse, director, provider_user, organization, make_slot
):
    """Two connections race for one slot: the provider moving their call and a nurse booking
    another case. The database lets exactly one win; the loser is told the slot was taken."""
    cases = [
        deny_case(
            make_case(actor=intake_specialist, organization=organization),
            intake=intake_specialist,
            nurse=nurse,
            director=director,
        )
        for _ in range(2)
    ]
    mine = book(cases[0], make_slot(26), provider_user)
    wanted = make_slot(30)
    barrier = threading.Barrier(2)
    results: dict[str, str] = {}

    def attempt(who, action):
        try:
            barrier.wait()
            try:
                action()
                results[who] = "won"
            except SlotTaken:
                results[who] = "taken"
        finally:
            connection.close()

    threads = [
        threading.Thread(
            target=attempt,
            args=("provider", lambda: p2p_reschedule(p2p=mine, slot=wanted, actor=provider_user)),
        ),
        threading.Thread(target=attempt, args=("nurse", lambda: book(cases[1], wanted, nurse))),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results.values()) == ["taken", "won"]
    assert PeerToPeer.objects.filter(slot=wanted, status="scheduled").count() == 1
    assert PeerToPeer.objects.filter(care_request=cases[0], status="scheduled").count() == 1
    mine.refresh_from_db()
    assert (mine.slot == wanted) == (results["provider"] == "won")
