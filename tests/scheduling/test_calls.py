"""The director records the call; changing the decision reopens and approves the case."""

from datetime import timedelta

import pytest
from django.utils import timezone

from determinations.models import Determination, Letter, LineDecision
from intake.models import ServiceLine, StatusEvent
from scheduling.models import PeerToPeer
from scheduling.services.booking import p2p_book
from scheduling.services.calls import peer_to_peer_record_outcome
from tests.determinations.conftest import criteria_set  # noqa: F401 - fixture
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
    values = {
        "call_status": "completed",
        "attendees": "Dr. Brooks; Dr. Provider",
        "started_at": timezone.now() - timedelta(minutes=20),
        "ended_at": timezone.now() - timedelta(minutes=5),
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

    response = client_for(director).post(
        reverse("scheduling:p2p", args=[booked.pk]),
        {
            "call_status": "completed",
            "attendees": "Dr. Brooks; Dr. Provider",
            "notes": "New imaging report discussed.",
            "decision": "reconsider",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("determinations:decide", args=[booked.care_request_id])
