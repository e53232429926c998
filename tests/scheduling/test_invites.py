"""Calendar invites: parse the .ics back and check what calendars rely on."""

from datetime import UTC
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from icalendar import Calendar

from scheduling.models import PeerToPeer
from scheduling.services.booking import p2p_book, p2p_cancel, p2p_reschedule
from scheduling.tasks import p2p_send_invites

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(denied_case, nurse, make_slot, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return p2p_book(
            case=denied_case,
            slot=make_slot(),
            actor=nurse,
            contact_name="Dr. Provider",
            contact_phone="555-0101",
            contact_email="office@practice.example",
        )


def invite_of(message) -> Calendar:
    (name, content, mimetype) = message.attachments[0]
    assert name == "invite.ics"
    return Calendar.from_ical(content), mimetype


def event_of(cal):
    (event,) = cal.walk("VEVENT")
    return event


def test_booking_sends_both_sides_a_request(booked, director):
    assert sorted(m.to[0] for m in mail.outbox) == [director.email, "office@practice.example"]
    for message in mail.outbox:
        assert message.subject == f"Peer-to-peer booked: case {booked.care_request.reference}"
        cal, mimetype = invite_of(message)
        assert mimetype == "text/calendar; method=REQUEST; charset=UTF-8"
        assert str(cal["METHOD"]) == "REQUEST"
        event = event_of(cal)
        assert str(event["UID"]) == f"p2p-{booked.pk}@um-portal"
        assert int(event["SEQUENCE"]) == 0
        assert str(event["STATUS"]) == "CONFIRMED"
        assert event.decoded("DTSTART") == booked.slot.starts_at.astimezone(UTC)
        assert event.decoded("DTEND") == booked.slot.ends_at.astimezone(UTC)
        raw = event.to_ical().decode()
        assert f"DTSTART:{booked.slot.starts_at.astimezone(UTC):%Y%m%dT%H%M%SZ}" in raw
        assert f"DTEND:{booked.slot.ends_at.astimezone(UTC):%Y%m%dT%H%M%SZ}" in raw
        assert str(event["ORGANIZER"]) == f"mailto:{director.email}"
        attendees = sorted(str(a) for a in event["ATTENDEE"])
        assert attendees == [f"mailto:{director.email}", "mailto:office@practice.example"]
        assert str(event["SUMMARY"]) == (
            f"Peer-to-peer review: case {booked.care_request.reference}"
        )


def test_invite_carries_no_member_details(booked):
    member = booked.care_request.member
    for message in mail.outbox:
        text = str(message.attachments[0][1]) + message.body + message.subject
        assert member.last_name not in text
        assert member.first_name not in text
        assert str(member.birth_date) not in text


def test_reschedule_moves_the_booking_with_a_new_sequence(
    booked, nurse, make_slot, django_capture_on_commit_callbacks
):
    old_slot = booked.slot
    new_slot = make_slot(30)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moved = p2p_reschedule(p2p=booked, slot=new_slot, actor=nurse)
    assert (moved.pk, moved.slot, moved.sequence) == (booked.pk, new_slot, 1)
    assert not PeerToPeer.objects.filter(slot=old_slot, status="scheduled").exists()
    assert len(mail.outbox) == 2
    event = event_of(invite_of(mail.outbox[0])[0])
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (booked.ics_uid, 1)
    assert event.decoded("DTSTART") == new_slot.starts_at.astimezone(UTC)
    assert mail.outbox[0].subject.startswith("Peer-to-peer updated: case ")


def test_cancel_sends_method_cancel_and_frees_the_slot(
    booked, nurse, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        p2p_cancel(p2p=booked, actor=nurse, reason="Provider asked")
    assert len(mail.outbox) == 2
    cal, mimetype = invite_of(mail.outbox[0])
    assert mimetype == "text/calendar; method=CANCEL; charset=UTF-8"
    assert str(cal["METHOD"]) == "CANCEL"
    event = event_of(cal)
    assert (str(event["UID"]), int(event["SEQUENCE"]), str(event["STATUS"])) == (
        booked.ics_uid,
        1,
        "CANCELLED",
    )
    assert not PeerToPeer.objects.filter(slot=booked.slot, status__in=["scheduled"]).exists()


def test_invite_task_sends_each_sequence_once(booked):
    mail.outbox.clear()
    assert p2p_send_invites(str(booked.pk)) == 0  # a redelivered message sends nothing
    assert mail.outbox == []


def test_invite_download_for_the_cases_provider_and_404_for_another(
    booked, client_for, provider_user, outsider
):
    response = client_for(provider_user).get(f"/scheduling/p2p/{booked.pk}/invite.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert str(event_of(Calendar.from_ical(response.content))["UID"]) == booked.ics_uid
    response = client_for(outsider).get(f"/scheduling/p2p/{booked.pk}/invite.ics")
    assert response.status_code == 404


def test_moving_to_another_directors_time_cancels_it_on_the_first_directors_calendar(
    booked, nurse, director, director_la, make_slot, django_capture_on_commit_callbacks
):
    director.email, director_la.email = "brooks@plan.example", "okafor@plan.example"
    director.save()
    director_la.save()
    old_slot = booked.slot
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        p2p_reschedule(p2p=booked, slot=make_slot(30, who=director_la), actor=nurse)

    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {
        "brooks@plan.example",
        "okafor@plan.example",
        "office@practice.example",
    }
    released, mimetype = invite_of(by_address["brooks@plan.example"])
    assert mimetype == "text/calendar; method=CANCEL; charset=UTF-8"
    event = event_of(released)
    assert (str(event["UID"]), int(event["SEQUENCE"])) == (booked.ics_uid, 1)
    assert event.decoded("DTSTART") == old_slot.starts_at.astimezone(UTC)
    for address in ("okafor@plan.example", "office@practice.example"):
        assert str(invite_of(by_address[address])[0]["METHOD"]) == "REQUEST"


def test_moving_within_one_directors_calendar_sends_no_cancellation(
    booked, nurse, director, make_slot, django_capture_on_commit_callbacks
):
    director.email = "brooks@plan.example"
    director.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        p2p_reschedule(p2p=booked, slot=make_slot(30), actor=nurse)
    methods = [str(invite_of(m)[0]["METHOD"]) for m in mail.outbox]
    assert methods == ["REQUEST", "REQUEST"]


def test_a_provider_who_books_gets_the_times_on_their_own_clock(
    denied_case, provider_user, make_slot, django_capture_on_commit_callbacks
):
    provider_user.time_zone = "America/Los_Angeles"
    provider_user.save()
    slot = make_slot()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        p2p_book(
            case=denied_case,
            slot=slot,
            actor=provider_user,
            contact_name="Dr. Provider",
            contact_phone="555-0101",
            contact_email="office@practice.example",
        )
    (to_provider,) = [m for m in mail.outbox if m.to == ["office@practice.example"]]
    assert "(America/Los_Angeles)" in to_provider.body
    local = slot.starts_at.astimezone(ZoneInfo("America/Los_Angeles"))
    assert local.strftime("%H:%M") in to_provider.body


def test_a_nurse_booking_for_the_office_uses_the_plans_clock(booked, settings):
    (to_provider,) = [m for m in mail.outbox if m.to == ["office@practice.example"]]
    assert f"({settings.TIME_ZONE})" in to_provider.body


def test_each_director_reads_the_time_on_their_own_clock(
    denied_case, nurse, director_la, make_slot, django_capture_on_commit_callbacks
):
    director_la.email = "okafor@plan.example"
    director_la.save()
    slot = make_slot(who=director_la)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        p2p_book(
            case=denied_case,
            slot=slot,
            actor=nurse,
            contact_name="Dr. Provider",
            contact_phone="555-0101",
            contact_email="office@practice.example",
        )
    (to_director,) = [m for m in mail.outbox if m.to == ["okafor@plan.example"]]
    local = slot.starts_at.astimezone(ZoneInfo("America/Los_Angeles"))
    assert f"{local:%H:%M}–" in to_director.body
    assert "(America/Los_Angeles)" in to_director.body
