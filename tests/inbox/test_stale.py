"""Items stuck "reading" because their worker died are read again by a periodic task, at most
INBOX_READ_ATTEMPTS times, then left for manual entry; a worker that was only slow loses to the
newer attempt."""

from datetime import timedelta

import pytest
from django.utils import timezone

from inbox.models import InboundDocument
from inbox.services import processing
from inbox.services.processing import inbound_document_read
from inbox.services.receive import inbound_document_receive
from inbox.services.stale import inbound_document_retry_stale
from um_portal.audit.models import AuditEvent

from .conftest import blank_png

pytestmark = pytest.mark.django_db
S = InboundDocument.Status


@pytest.fixture
def queued(monkeypatch):
    """The read tasks queued after commit, instead of run."""
    sent = []
    monkeypatch.setattr("inbox.tasks.inbound_document_read.delay", lambda pk: sent.append(pk))
    return sent


def stuck(*, attempts: int = 1, minutes_ago: int = 30) -> InboundDocument:
    """A document a worker took `minutes_ago` and then died on (status left "reading")."""
    document = inbound_document_receive(
        actor=None, name="fax.png", data=blank_png(), source="upload"
    )
    InboundDocument.objects.filter(pk=document.pk).update(
        status=S.PROCESSING,
        attempts=attempts,
        pages_done=1,
        progress_at=timezone.now() - timedelta(minutes=minutes_ago),
    )
    return InboundDocument.objects.get(pk=document.pk)


def test_a_stale_reading_is_queued_again(settings, queued, django_capture_on_commit_callbacks):
    settings.INBOX_STALE_MINUTES = 10
    queued.clear()  # the receipt's own task
    document = stuck(minutes_ago=11)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = inbound_document_retry_stale()
    assert outcome.retried == [document.pk] and outcome.gave_up == []
    document.refresh_from_db()
    assert (document.status, document.pages_done, document.attempts) == (S.RECEIVED, 0, 1)
    assert queued == [str(document.pk)]
    assert AuditEvent.objects.filter(action="inbox.retried").count() == 1


def test_a_reading_with_recent_progress_is_left_alone(settings, queued):
    settings.INBOX_STALE_MINUTES = 10
    document = stuck(minutes_ago=9)
    outcome = inbound_document_retry_stale()
    assert (outcome.retried, outcome.gave_up) == ([], [])
    document.refresh_from_db()
    assert document.status == S.PROCESSING


def test_after_the_last_attempt_it_needs_manual_entry(settings, queued):
    settings.INBOX_READ_ATTEMPTS = 3
    document = stuck(attempts=3)
    queued.clear()
    outcome = inbound_document_retry_stale()
    assert outcome.gave_up == [document.pk] and outcome.retried == []
    document.refresh_from_db()
    assert document.status == S.FAILED
    assert "needs manual entry" in document.failure_reason
    assert queued == []
    # The file is kept: nothing is lost.
    assert document.file.size == len(blank_png())


def test_a_second_run_does_not_queue_it_twice(settings, queued, django_capture_on_commit_callbacks):
    document = stuck()
    queued.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = inbound_document_retry_stale()
        second = inbound_document_retry_stale()
    assert first.retried == [document.pk] and second.retried == []
    assert queued == [str(document.pk)]


def test_the_conditional_update_loses_to_a_worker_that_reported_progress(settings, monkeypatch):
    """The stale list was read, then the (slow, alive) worker reported a page before the
    update: the update must not match."""
    document = stuck()
    real_filter = InboundDocument.objects.filter

    def filter_then_progress(*args, **kwargs):
        if "attempts" in kwargs:  # the conditional update: the worker reports just before it
            real_filter(pk=document.pk).update(progress_at=timezone.now())
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(InboundDocument.objects, "filter", filter_then_progress)
    outcome = inbound_document_retry_stale()
    monkeypatch.undo()
    assert outcome.retried == []
    document.refresh_from_db()
    assert document.status == S.PROCESSING


def test_a_retried_document_is_read_and_counts_its_attempts(settings, queued, monkeypatch):
    document = stuck()
    inbound_document_retry_stale()
    monkeypatch.setattr(processing, "_read", lambda document: "ocr")
    document = inbound_document_read(document_id=document.pk)
    assert (document.status, document.attempts) == (S.READ, 2)
    assert document.progress_at is not None


def test_a_slow_old_worker_does_not_overwrite_the_newer_attempt(monkeypatch):
    """The old worker finishes after its reading was handed to attempt 2."""
    document = inbound_document_receive(actor=None, name="f.png", data=blank_png(), source="upload")

    def read_while_retried(doc):
        # Meanwhile the stale task gave the item to another worker, which started it.
        InboundDocument.objects.filter(pk=doc.pk).update(attempts=doc.attempts + 1)
        return "ocr"

    InboundDocument.objects.filter(pk=document.pk).update(status=S.RECEIVED)
    monkeypatch.setattr(processing, "_read", read_while_retried)
    result = inbound_document_read(document_id=document.pk)
    assert result.status == S.PROCESSING  # left to the newer attempt, not marked read
    assert not result.read_method
