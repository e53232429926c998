"""Reminders before the call, with a frozen clock: due once, never twice."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from scheduling.models import PeerToPeer, Slot
from scheduling.services.booking import p2p_book, p2p_cancel, p2p_reschedule
from scheduling.tasks import p2p_send_due_reminders

pytestmark = pytest.mark.django_db

BOOKED_AT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
CALL_AT = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)


@pytest.fixture
def booked(denied_case, nurse, director):
    slot = Slot.objects.create(
        director=director, starts_at=CALL_AT, ends_at=CALL_AT + timedelta(minutes=30)
    )
    with time_machine.travel(BOOKED_AT, tick=False):
        return p2p_book(
            case=denied_case,
            slot=slot,
            actor=nurse,
            contact_name="Dr. Provider",
            contact_phone="555-0101",
            contact_email="office@practice.example",
        )


def run_at(moment) -> int:
    with time_machine.travel(moment, tick=False):
        return p2p_send_due_reminders()


def test_reminder_fires_once_within_the_hour_before_the_call(booked, director):
    mail.outbox.clear()
    assert run_at(CALL_AT - timedelta(minutes=61)) == 0
    assert mail.outbox == []
    assert run_at(CALL_AT - timedelta(minutes=55)) == 1
    assert sorted(m.to[0] for m in mail.outbox) == [director.email, "office@practice.example"]
    assert mail.outbox[0].subject == (
        f"Reminder: peer-to-peer call, case {booked.care_request.reference}"
    )
    assert run_at(CALL_AT - timedelta(minutes=50)) == 0
    assert run_at(CALL_AT - timedelta(minutes=5)) == 0
    assert len(mail.outbox) == 2
    booked.refresh_from_db()
    assert booked.reminder_sent_at == CALL_AT - timedelta(minutes=55)


def test_lead_time_is_a_setting(booked, settings):
    settings.P2P_REMINDER_MINUTES_BEFORE = 24 * 60
    assert run_at(CALL_AT - timedelta(hours=23)) == 1


def test_no_reminder_after_the_call_started_or_when_cancelled(booked, nurse):
    assert run_at(CALL_AT + timedelta(minutes=1)) == 0
    p2p_cancel(p2p=booked, actor=nurse)
    assert run_at(CALL_AT - timedelta(minutes=30)) == 0


def test_rescheduling_makes_the_reminder_due_again(booked, nurse, director):
    assert run_at(CALL_AT - timedelta(minutes=30)) == 1
    later = CALL_AT + timedelta(days=1)
    slot = Slot.objects.create(
        director=director, starts_at=later, ends_at=later + timedelta(minutes=30)
    )
    with time_machine.travel(CALL_AT - timedelta(minutes=20), tick=False):
        p2p_reschedule(p2p=booked, slot=slot, actor=nurse)
    assert PeerToPeer.objects.get(pk=booked.pk).reminder_sent_at is None
    assert run_at(later - timedelta(minutes=30)) == 1


def test_reminders_are_registered_with_celery_beat():
    from um_portal.celery import app

    app.finalize()
    import scheduling.tasks  # noqa: F401 - registers on finalize

    schedule = app.conf.beat_schedule
    assert (
        schedule["scheduling: P2P reminders"]["task"] == "scheduling.tasks.p2p_send_due_reminders"
    )
    assert schedule["scheduling: P2P reminders"]["schedule"] == 300.0
    assert schedule["scheduling: P2P offer sweep"]["task"] == "scheduling.tasks.p2p_offer_sweep"
    assert schedule["scheduling: roll slots"]["task"] == (
        "scheduling.tasks.slots_generate_all_task"
    )
