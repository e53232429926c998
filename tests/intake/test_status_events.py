"""The status-event trail: one immutable row per transition, with actor, from, to and note."""

from datetime import timedelta

import pytest
from django.utils import timezone

from intake.models import CareRequest, StatusEvent
from intake.services.eligibility import eligibility_check_record
from intake.services.transitions import care_request_transition
from intake.services.workflow import (
    care_request_mark_info_received,
    care_request_request_info,
    care_request_triage,
)
from tests.factories import make_case
from um_portal.lib.errors import NotPermitted


@pytest.fixture
def triaged_case(intake_specialist, organization):
    case = make_case(actor=intake_specialist, organization=organization)
    eligibility_check_record(care_request=case, actor=intake_specialist)
    return care_request_triage(care_request=case, actor=intake_specialist, note="Looks complete.")


@pytest.mark.django_db
def test_every_transition_leaves_an_event_with_actor_states_and_note(
    triaged_case, intake_specialist, nurse, provider_user
):
    care_request_request_info(
        care_request=triaged_case,
        actor=nurse,
        description="Send the conservative therapy record.",
        due_by=timezone.now() + timedelta(days=2),
    )
    care_request_mark_info_received(
        care_request=triaged_case, actor=provider_user, response="Therapy record attached."
    )

    trail = list(
        StatusEvent.objects.filter(care_request=triaged_case).values_list(
            "transition", "from_status", "to_status", "actor", "note"
        )
    )
    assert trail == [
        ("submit", "draft", "submitted", intake_specialist.pk, ""),
        ("triage", "submitted", "nurse_review", intake_specialist.pk, "Looks complete."),
        (
            "request_info",
            "nurse_review",
            "pending_info",
            nurse.pk,
            "Send the conservative therapy record.",
        ),
        (
            "info_received",
            "pending_info",
            "nurse_review",
            provider_user.pk,
            "Therapy record attached.",
        ),
    ]
    assert CareRequest.objects.get(pk=triaged_case.pk).status == "nurse_review"


@pytest.mark.django_db
def test_event_time_is_the_time_of_the_transition(received_case, intake_specialist):
    before = timezone.now()
    care_request_transition(care_request=received_case, name="withdraw", actor=intake_specialist)
    event = StatusEvent.objects.get(care_request=received_case, transition="withdraw")
    assert before <= event.at <= timezone.now()


@pytest.mark.django_db
def test_system_transition_is_recorded_without_actor(received_case):
    care_request_transition(
        care_request=received_case, name="auto_approve", actor=None, system=True
    )
    event = StatusEvent.objects.get(care_request=received_case, transition="auto_approve")
    assert (event.from_status, event.to_status, event.actor_id) == ("submitted", "approved", None)


@pytest.mark.django_db
def test_status_event_cannot_be_changed(received_case):
    event = StatusEvent.objects.get(care_request=received_case)
    event.note = "rewritten history"
    with pytest.raises(ValueError, match="StatusEvent rows are immutable"):
        event.save()
    assert StatusEvent.objects.get(pk=event.pk).note == ""


@pytest.mark.django_db
def test_status_event_cannot_be_deleted(received_case):
    event = StatusEvent.objects.get(care_request=received_case)
    with pytest.raises(ValueError, match="StatusEvent rows are immutable"):
        event.delete()
    assert StatusEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_refused_transition_writes_no_event(received_case, nurse):
    with pytest.raises(NotPermitted):
        care_request_transition(care_request=received_case, name="void", actor=nurse)
    assert list(
        StatusEvent.objects.filter(care_request=received_case).values_list("transition", flat=True)
    ) == ["submit"]
