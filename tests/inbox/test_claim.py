"""Claiming an inbox item: one specialist per item, however they press."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from inbox.models import InboundDocument
from inbox.services.claim import (
    inbound_document_claim,
    inbound_document_claim_next,
    inbound_document_release,
)
from um_portal.lib.errors import InvalidTransition, NotPermitted

S = InboundDocument.Status


def read_item(name: str = "fax.pdf", minutes_ago: int = 0) -> InboundDocument:
    # A read item as the worker leaves it; the status is written the way the worker's
    # conditional updates write it (the FSM field is protected against plain assignment).
    document = InboundDocument.objects.create(
        source="upload",
        original_name=name,
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
        arrived_at=timezone.now() - timezone.timedelta(minutes=minutes_ago),
    )
    InboundDocument.objects.filter(pk=document.pk).update(status=S.READ)
    return InboundDocument.objects.get(pk=document.pk)


@pytest.mark.django_db
def test_second_specialist_cannot_claim_an_item_someone_holds(intake_specialist, other_specialist):
    item = read_item()
    inbound_document_claim(document=item, actor=intake_specialist)
    with pytest.raises(InvalidTransition, match="already working on it"):
        inbound_document_claim(document=item, actor=other_specialist)
    item.refresh_from_db()
    assert (item.status, item.claimed_by) == (S.CLAIMED, intake_specialist)


@pytest.mark.django_db
def test_get_next_hands_out_the_oldest_item_and_never_the_same_one_twice(
    intake_specialist, other_specialist
):
    newer = read_item("newer", minutes_ago=1)
    older = read_item("older", minutes_ago=10)
    assert inbound_document_claim_next(actor=intake_specialist).pk == older.pk
    assert inbound_document_claim_next(actor=other_specialist).pk == newer.pk
    assert inbound_document_claim_next(actor=other_specialist) is None


@pytest.mark.django_db
def test_release_puts_it_back_and_only_the_holder_may(intake_specialist, other_specialist):
    item = read_item()
    inbound_document_claim(document=item, actor=intake_specialist)
    with pytest.raises(InvalidTransition):
        inbound_document_release(document=item, actor=other_specialist)
    released = inbound_document_release(document=item, actor=intake_specialist)
    assert (released.status, released.claimed_by) == (S.READ, None)


@pytest.mark.django_db
def test_a_nurse_cannot_claim(nurse):
    with pytest.raises(NotPermitted):
        inbound_document_claim_next(actor=nurse)


@pytest.mark.django_db
def test_an_item_still_being_read_cannot_be_claimed(intake_specialist):
    item = read_item()
    InboundDocument.objects.filter(pk=item.pk).update(status=S.PROCESSING)
    with pytest.raises(InvalidTransition, match="reading"):
        inbound_document_claim(document=item, actor=intake_specialist)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_specialists_pressing_get_next_at_once_get_one_item_between_them(
    require_postgres, intake_specialist, other_specialist
):
    read_item()
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def press(user):
        try:
            barrier.wait(timeout=10)
            document = inbound_document_claim_next(actor=user)
            results[user.username] = document.pk if document else None
        finally:
            connection.close()

    threads = [
        threading.Thread(target=press, args=(u,)) for u in (intake_specialist, other_specialist)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == ["intake", "intake2"]
    assert sum(1 for v in results.values() if v is not None) == 1
    item = InboundDocument.objects.get()
    assert item.status == S.CLAIMED
    assert item.claimed_by.username in results
    assert results[item.claimed_by.username] == item.pk
