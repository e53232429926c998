"""The director records the call; changing the decision reopens and approves the case."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from determinations.models import Determination, Letter, LineDecision
from intake.models import ServiceLine, StatusEvent
from scheduling.models import PeerToPeer
from scheduling.selectors import free_slots
from scheduling.services.booking import SlotTaken, p2p_book
from scheduling.services.calls import peer_to_peer_record_outcome
from tests.determinations.conftest import criteria_set  # noqa: F401 - fixture
from tests.factories import make_case
from tests.scheduling.conftest import deny_case
from um_portal.audit.models import AuditEvent
from um_portal.lib.errors import InvalidTransition, NotPermitted, ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def booked(denied_case, nurse, make_slot):
    return p2p_book(
        case=denied_case,
        slot=make_slot(),
        actor=nurse,
        contact_name="Dr. Provider",
        contact_phone="555-0101",
    )


def record(p2p, director, **kwargs):
    """Record the call as the director would, a little after its slot (`now`)."""
    slot = p2p.slot
    values = {
        "call_status": "completed",
        "attendees": "Dr. Brooks; Dr. Provider",
        "started_at": slot.starts_at + timedelta(minutes=2),
        "ended_at": slot.starts_at + timedelta(minutes=20),
        "now": slot.ends_at + timedelta(minutes=10),
        "notes": "Provider described failed physical therapy.",
        "decision": "upheld",
        "rationale": "",
    }
    values.update(kwargs)
    return peer_to_peer_record_outcome(p2p=p2p, director=director, **values)


def test_upheld_call_keeps_the_denial(booked, director):
    p2p = record(booked, director)
    assert (p2p.status, p2p.outcome, p2p.recorded_by) == ("completed", "upheld", director)
    assert p2p.reopening_determination is None
    booked.care_request.refresh_from_db()
    assert booked.care_request.status == "denied"
    assert AuditEvent.objects.get(action="p2p.call_recorded").summary == (
        "Peer-to-peer held (Dr. Brooks; Dr. Provider); decision upheld."
    )


def test_changed_decision_issues_a_reopening_approval_with_letters(booked, director):
    case = booked.care_request
    initial = Determination.objects.get(care_request=case)
    p2p = record(booked, director, decision="changed", rationale="Therapy was documented.")
    case.refresh_from_db()
    assert case.status == "approved"
    assert case.auth_number != ""
    reopening = p2p.reopening_determination
    assert (reopening.kind, reopening.outcome, reopening.previous) == (
        "reopening",
        "approved",
        initial,
    )
    assert (reopening.decided_by, reopening.auth_number) == (director, case.auth_number)
    assert list(
        LineDecision.objects.filter(determination=reopening).values_list("outcome", flat=True)
    ) == ["approved"]
    line = case.service_lines.get()
    assert (line.decision, line.approved_units) == (ServiceLine.Decision.APPROVED, line.units)
    letters = Letter.objects.filter(determination=reopening).order_by("recipient")
    assert [(x.recipient, x.template, x.status) for x in letters] == [
        ("member", "approval", "pending"),
        ("provider", "approval", "pending"),
    ]
    transitions = list(
        StatusEvent.objects.filter(care_request=case).values_list("transition", flat=True)
    )
    assert transitions[-2:] == ["reopen", "approve"]
    assert set(AuditEvent.objects.filter(case_id=case.pk).values_list("action", flat=True)) >= {
        "p2p.booked",
        "p2p.call_recorded",
        "determination.issued",
    }


def test_no_show_frees_the_slot_and_has_no_decision(booked, director):
    p2p = record(booked, director, call_status="no_show", decision="", attendees="Dr. Brooks")
    assert (p2p.status, p2p.outcome) == ("no_show", "")
    assert not PeerToPeer.objects.filter(slot=booked.slot, status="scheduled").exists()


def test_nurse_cannot_record_a_call(booked, nurse):
    with pytest.raises(NotPermitted):
        record(booked, nurse, decision="changed", rationale="x")
    booked.refresh_from_db()
    assert (booked.status, booked.outcome) == ("scheduled", "")
    assert not Determination.objects.filter(kind="reopening").exists()


def test_changed_decision_needs_a_rationale(booked, director):
    with pytest.raises(ValidationFailed) as err:
        record(booked, director, decision="changed", rationale=" ")
    assert err.value.field_errors == {"rationale": ["Explain the new decision in plain language."]}
    booked.refresh_from_db()
    assert booked.status == "scheduled"


def test_a_held_call_needs_a_decision_and_attendees(booked, director):
    with pytest.raises(ValidationFailed) as err:
        record(booked, director, decision="", attendees="")
    assert set(err.value.field_errors) == {"decision", "attendees"}


def test_a_call_is_recorded_once(booked, director):
    record(booked, director)
    with pytest.raises(InvalidTransition):
        record(booked, director, decision="changed", rationale="Second thoughts")
    assert Determination.objects.filter(kind="reopening").count() == 0


# --- reopening for a decision line by line -----------------------------------------------------


def test_reconsider_reopens_for_the_decision_page_without_deciding(booked, director):
    case = booked.care_request
    initial = Determination.objects.get(care_request=case)
    p2p = record(booked, director, decision="reconsider")
    assert (p2p.status, p2p.outcome, p2p.reopening_determination) == (
        "completed",
        "reconsider",
        None,
    )
    case.refresh_from_db()
    assert case.status == "md_review"
    assert Determination.objects.filter(care_request=case).get() == initial  # nothing decided
    reopened = AuditEvent.objects.get(action="determination.reopened")
    assert reopened.actor == director
    event = StatusEvent.objects.filter(care_request=case).order_by("-at").first()
    assert event.transition == "reopen"
    assert "Provider described failed physical therapy." in event.note
    assert AuditEvent.objects.get(action="p2p.call_recorded").summary.endswith(
        "reopened for a new decision."
    )


def test_the_decision_page_then_issues_a_reopening_that_may_approve_in_part(
    booked,
    director,
    criteria_set,  # noqa: F811 - fixture
):
    from determinations.services import determination_issue
    from tests.determinations.conftest import reduce

    case = booked.care_request
    initial = Determination.objects.get(care_request=case)
    record(booked, director, decision="reconsider")
    case.refresh_from_db()
    line = case.service_lines.get()
    ServiceLine.objects.filter(pk=line.pk).update(units=10)
    line.refresh_from_db()
    reopening = determination_issue(
        case=case,
        director=director,
        kind="reopening",
        line_decisions=[reduce(line, criteria_set, units=4)],
    )
    assert (reopening.previous, reopening.outcome) == (initial, "partially_approved")


def test_reconsider_needs_the_calls_notes_as_the_reason(booked, director):
    with pytest.raises(ValidationFailed) as err:
        record(booked, director, decision="reconsider", notes=" ")
    assert set(err.value.field_errors) == {"notes"}
    booked.care_request.refresh_from_db()
    assert booked.care_request.status == "denied"


def test_the_page_sends_the_director_to_the_decision_page(client_for, booked, director):
    from django.urls import reverse

    from tests.scheduling.test_views import call_has_happened, on_clock

    booked = call_has_happened(booked)
    response = client_for(director).post(
        reverse("scheduling:p2p", args=[booked.pk]),
        {
            "call_status": "completed",
            "attendees": "Dr. Brooks; Dr. Provider",
            "started_at": on_clock(director, booked.slot.starts_at),
            "ended_at": on_clock(director, booked.slot.ends_at),
            "notes": "New imaging report discussed.",
            "decision": "reconsider",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("determinations:decide", args=[booked.care_request_id])


# --- the call's times: within its slot, never in the future (issue 14) -------------------------


def snapshot(p2p):
    p2p.refresh_from_db()
    return (p2p.status, p2p.outcome, p2p.started_at, p2p.ended_at, p2p.recorded_at)


def test_a_call_cannot_be_recorded_as_held_before_it_happens(booked, director):
    """The slot is 26 hours ahead: recording it as held now, with its own (future) times, is
    refused and changes nothing, so the slot is not marked held while still ahead."""
    slot, now = booked.slot, timezone.now()
    before = snapshot(booked)
    with pytest.raises(ValidationFailed) as err:
        record(booked, director, started_at=slot.starts_at, ended_at=slot.ends_at, now=now)
    assert set(err.value.field_errors) == {"started_at", "ended_at"}
    assert err.value.field_errors["ended_at"][0].startswith("The call cannot end in the future")
    assert snapshot(booked) == before == ("scheduled", "", None, None, None)
    assert not AuditEvent.objects.filter(action="p2p.call_recorded").exists()


def test_a_held_call_needs_its_times(booked, director):
    with pytest.raises(ValidationFailed) as err:
        record(booked, director, started_at=None, ended_at=None)
    assert err.value.field_errors == {
        "started_at": ["When did the call start?"],
        "ended_at": ["When did the call end?"],
    }
    assert snapshot(booked)[0] == "scheduled"


@pytest.mark.parametrize(
    ("start", "end", "fields"),
    [
        (-16, 20, {"started_at"}),  # more than 15 minutes early
        (30, 40, {"started_at"}),  # starts when the slot has ended
        (5, 46, {"ended_at"}),  # runs over by more than 15 minutes
        (20, 20, {"ended_at"}),  # no length
        (20, 10, {"ended_at"}),  # ends before it starts
        (-60, -40, {"started_at", "ended_at"}),  # another hour altogether
    ],
)
def test_a_held_calls_times_lie_within_its_slot(booked, director, start, end, fields):
    """Minutes from the slot's start; the slot is 30 minutes long, the tolerance 15."""
    at = booked.slot.starts_at
    with pytest.raises(ValidationFailed) as err:
        record(
            booked,
            director,
            started_at=at + timedelta(minutes=start),
            ended_at=at + timedelta(minutes=end),
            now=at + timedelta(hours=2),
        )
    assert set(err.value.field_errors) == fields
    assert snapshot(booked)[0] == "scheduled"


def test_the_tolerance_is_inclusive_and_a_setting(booked, director, settings):
    at = booked.slot.starts_at
    settings.P2P_CALL_TOLERANCE_MINUTES = 5
    with pytest.raises(ValidationFailed):
        record(booked, director, started_at=at - timedelta(minutes=6), now=at + timedelta(hours=1))
    settings.P2P_CALL_TOLERANCE_MINUTES = 15
    p2p = record(
        booked,
        director,
        started_at=at - timedelta(minutes=15),
        ended_at=at + timedelta(minutes=45),
        now=at + timedelta(minutes=45),  # recorded the minute it ended
    )
    assert (p2p.status, p2p.started_at, p2p.ended_at) == (
        "completed",
        at - timedelta(minutes=15),
        at + timedelta(minutes=45),
    )


def test_the_time_messages_speak_the_plans_clock_whatever_zone_is_active(
    booked, director, settings
):
    """Every page states times in the plan's time zone, named; so do the form's messages."""
    at = booked.slot.starts_at
    with timezone.override("America/Los_Angeles"), pytest.raises(ValidationFailed) as err:
        record(booked, director, ended_at=at + timedelta(hours=1), now=at + timedelta(hours=2))
    local = at.astimezone(ZoneInfo(settings.TIME_ZONE))
    end = local + timedelta(minutes=30)
    assert err.value.field_errors["ended_at"] == [
        f"The call was booked for {local:%Y-%m-%d %H:%M}–{end:%H:%M %Z}: it ends after its start "
        "and at most 15 minutes after its end."
    ]


def test_a_no_show_is_recorded_only_once_the_call_is_due(booked, director):
    at = booked.slot.starts_at
    with pytest.raises(ValidationFailed) as err:
        record(booked, director, call_status="no_show", decision="", now=at - timedelta(minutes=1))
    assert set(err.value.field_errors) == {"call_status"}
    assert snapshot(booked)[0] == "scheduled"
    p2p = record(
        booked, director, call_status="no_show", decision="", now=at + timedelta(minutes=5)
    )
    # The form offers the booked times; a call not held has none.
    assert (p2p.status, p2p.started_at, p2p.ended_at) == ("no_show", None, None)


def test_a_cancelled_call_keeps_no_times_and_frees_its_slot(booked, director):
    p2p = record(booked, director, call_status="cancelled", decision="", now=timezone.now())
    assert (p2p.status, p2p.started_at, p2p.ended_at) == ("cancelled", None, None)
    assert free_slots(now=timezone.now()).filter(pk=booked.slot_id).exists()


# --- a recorded call's slot is never offered again ----------------------------------------------


@pytest.mark.parametrize("call_status", ["completed", "no_show"])
def test_a_recorded_calls_slot_is_never_offered_or_booked_again(
    call_status, booked, director, nurse, intake_specialist, organization
):
    slot = booked.slot
    record(
        booked,
        director,
        call_status=call_status,
        decision="upheld" if call_status == "completed" else "",
    )
    # The slot is still ahead on the real clock (the record used a later `now`): were only
    # standing bookings counted, it would show free again.
    assert not free_slots(now=timezone.now()).filter(pk=slot.pk).exists()
    other = deny_case(
        make_case(actor=intake_specialist, organization=organization),
        intake=intake_specialist,
        nurse=nurse,
        director=director,
    )
    with pytest.raises(SlotTaken):
        p2p_book(case=other, slot=slot, actor=nurse, contact_name="Dr. X", contact_phone="555")
    assert PeerToPeer.objects.filter(slot=slot).count() == 1


@pytest.mark.postgres
def test_the_database_refuses_a_second_booking_of_a_held_slot(
    require_postgres, booked, director, intake_specialist
):
    """The partial unique index, not only the service: a held slot cannot take a booking."""
    record(booked, director)
    other = PeerToPeer(
        care_request=make_case(actor=intake_specialist),
        slot=booked.slot,
        status=PeerToPeer.Status.SCHEDULED,
        requested_by=director,
        provider_contact_name="Dr. X",
        provider_contact_phone="555",
    )
    with pytest.raises(IntegrityError, match="slot_booked_once"), transaction.atomic():
        other.save()
