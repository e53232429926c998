"""Booking: who may book, one booking per slot (enforced by the database) and per case."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from intake.models import StatusEvent
from scheduling.models import PeerToPeer, Slot
from scheduling.services.booking import SlotTaken, p2p_book, p2p_cancel
from tests.factories import make_case
from tests.scheduling.conftest import deny_case
from um_portal.audit.models import AuditEvent
from um_portal.lib.errors import InvalidTransition, NotPermitted, ValidationFailed
from um_portal.lib.template_formats import when


def book(case, slot, actor, **kwargs):
    return p2p_book(
        case=case,
        slot=slot,
        actor=actor,
        contact_name="Dr. Provider",
        contact_phone="555-0101",
        contact_email="office@practice.example",
        **kwargs,
    )


@pytest.mark.django_db
def test_nurse_books_a_free_slot_for_a_denied_case(denied_case, nurse, make_slot):
    slot = make_slot()
    p2p = book(denied_case, slot, nurse)
    assert (p2p.status, p2p.slot, p2p.sequence) == ("scheduled", slot, 0)
    event = AuditEvent.objects.get(case_id=denied_case.pk, action="p2p.booked")
    assert event.actor == nurse
    assert event.summary == (
        f"Peer-to-peer booked with Daniel Brooks, MD for {when(slot.starts_at)}."
    )


@pytest.mark.django_db
def test_a_booked_slot_cannot_be_booked_again(
    denied_case, nurse, make_slot, intake_specialist, director, organization
):
    slot = make_slot()
    book(denied_case, slot, nurse)
    other = deny_case(
        make_case(actor=intake_specialist, organization=organization),
        intake=intake_specialist,
        nurse=nurse,
        director=director,
    )
    with pytest.raises(SlotTaken) as err:
        book(other, slot, nurse)
    assert err.value.message == "That slot was just taken. Please choose another time."
    assert PeerToPeer.objects.filter(slot=slot).count() == 1
    assert not PeerToPeer.objects.filter(care_request=other).exists()


@pytest.mark.django_db
def test_a_case_has_one_open_booking(denied_case, nurse, make_slot):
    book(denied_case, make_slot(26), nurse)
    with pytest.raises(InvalidTransition):
        book(denied_case, make_slot(27), nurse)
    assert PeerToPeer.objects.filter(care_request=denied_case).count() == 1


@pytest.mark.django_db
def test_cancelling_frees_the_slot_for_another_booking(denied_case, nurse, make_slot):
    slot = make_slot()
    first = book(denied_case, slot, nurse)
    p2p_cancel(p2p=first, actor=nurse, reason="Provider unavailable")
    second = book(denied_case, slot, nurse)
    assert second.pk != first.pk
    assert PeerToPeer.objects.get(pk=first.pk).status == "cancelled"


@pytest.mark.django_db
def test_withdrawn_slot_cannot_be_booked(denied_case, nurse, make_slot):
    slot = make_slot()
    Slot.objects.filter(pk=slot.pk).update(is_withdrawn=True)
    slot.refresh_from_db()
    with pytest.raises(SlotTaken):
        book(denied_case, slot, nurse)
    assert PeerToPeer.objects.count() == 0


@pytest.mark.django_db
def test_no_peer_to_peer_before_a_denial(intake_specialist, nurse, make_slot, organization):
    case = make_case(actor=intake_specialist, organization=organization)
    with pytest.raises(InvalidTransition):
        book(case, make_slot(), nurse)
    assert PeerToPeer.objects.count() == 0


@pytest.mark.django_db
def test_intake_specialist_cannot_book(denied_case, intake_specialist, make_slot):
    with pytest.raises(NotPermitted):
        book(denied_case, make_slot(), intake_specialist)
    assert PeerToPeer.objects.count() == 0


@pytest.mark.django_db
def test_contact_is_required(denied_case, nurse, make_slot):
    with pytest.raises(ValidationFailed) as err:
        p2p_book(
            case=denied_case, slot=make_slot(), actor=nurse, contact_name="", contact_phone=" "
        )
    assert set(err.value.field_errors) == {"contact_name", "contact_phone"}
    assert PeerToPeer.objects.count() == 0


@pytest.mark.django_db
def test_provider_books_within_the_window(denied_case, provider_user, make_slot):
    p2p = book(denied_case, make_slot(), provider_user)
    assert p2p.requested_by == provider_user
    assert AuditEvent.objects.get(action="p2p.booked").summary.endswith(
        "(requested by the provider)."
    )


@pytest.mark.django_db
def test_provider_cannot_book_after_the_window(denied_case, provider_user, make_slot, settings):
    settings.P2P_REQUEST_WINDOW_DAYS = 3
    StatusEvent.objects.filter(care_request=denied_case, to_status="denied").update(
        at=timezone.now() - timedelta(days=4)
    )
    with pytest.raises(NotPermitted) as err:
        book(denied_case, make_slot(), provider_user)
    assert "within 3 days" in err.value.message
    assert PeerToPeer.objects.count() == 0


@pytest.mark.django_db
def test_provider_of_another_organisation_cannot_book(denied_case, outsider, make_slot):
    with pytest.raises(NotPermitted):
        book(denied_case, make_slot(), outsider)
    assert PeerToPeer.objects.count() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_people_booking_one_slot_at_once_gives_exactly_one_booking(
    require_postgres, intake_specialist, nurse, director, organization, make_slot
):
    """Ten connections race for one slot; the partial unique index lets exactly one win."""
    cases = [
        deny_case(
            make_case(actor=intake_specialist, organization=organization),
            intake=intake_specialist,
            nurse=nurse,
            director=director,
        )
        for _ in range(10)
    ]
    slot = make_slot()
    barrier = threading.Barrier(10)
    results: list[str] = []
    lock = threading.Lock()

    def attempt(case):
        try:
            barrier.wait()
            try:
                book(case, slot, nurse)
                outcome = "booked"
            except SlotTaken:
                outcome = "taken"
            with lock:
                results.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(c,)) for c in cases]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["booked"] + ["taken"] * 9
    assert PeerToPeer.objects.filter(slot=slot).count() == 1
    assert AuditEvent.objects.filter(action="p2p.booked").count() == 1


@pytest.mark.django_db
def test_the_booking_service_itself_needs_the_organisations_change_grant(
    denied_case, provider_user, make_slot, nurse
):
    """Not only the portal view: a provider without the `change` grant cannot book or change
    a call through the service either."""
    from intake.models import CareRequestGroupObjectPermission
    from scheduling.services.booking import p2p_cancel

    booked = book(denied_case, make_slot(), nurse)
    grants = CareRequestGroupObjectPermission.objects.filter(
        content_object=denied_case, permission__codename="change_carerequest"
    )
    assert grants.delete()[0] == 1
    with pytest.raises(NotPermitted):
        p2p_cancel(p2p=booked, actor=provider_user, reason="No longer needed")
    booked.refresh_from_db()
    assert booked.status == "scheduled"
    p2p_cancel(p2p=booked, actor=nurse, reason="Freeing the slot for the test")
    with pytest.raises(NotPermitted):
        book(denied_case, make_slot(30), provider_user)
    assert PeerToPeer.objects.filter(status="scheduled").count() == 0
