"""Items stuck "reading": the worker that took them died (killed, out of memory, a redeploy) after
the broker had already handed the task out, so nothing will ever finish them.

A periodic task finds documents whose reading showed no progress for INBOX_STALE_MINUTES and
either queues them again or, after INBOX_READ_ATTEMPTS starts, fails them for manual entry (a file
that kills the worker every time must not loop forever).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from um_portal.audit.services import audit_event
from um_portal.lib.tasks import enqueue_on_commit

from ..models import InboundDocument

S = InboundDocument.Status
MANUAL_ENTRY_REASON = (
    "Reading stopped {attempts} times before it finished; needs manual entry: open the pages "
    "and type the request."
)


@dataclass
class StaleOutcome:
    retried: list = field(default_factory=list)
    gave_up: list = field(default_factory=list)


def _audit(document_id, action: str, summary: str) -> None:
    audit_event(
        actor=None, action=action, summary=summary, data={"inbound_document": str(document_id)}
    )


@transaction.atomic
def inbound_document_retry_stale(*, now: datetime | None = None) -> StaleOutcome:
    """Queue stale readings again, or give up on them after the last allowed attempt.

    Each row is taken with a conditional UPDATE that repeats the staleness test, so two beat
    runs (or a worker that was only slow and reports progress meanwhile) cannot both act on it;
    the loser's UPDATE matches no row."""
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.INBOX_STALE_MINUTES)
    outcome = StaleOutcome()
    stale = InboundDocument.objects.filter(status=S.PROCESSING, progress_at__lt=cutoff)
    for pk, attempts in stale.values_list("pk", "attempts")[:200]:
        still_stale = InboundDocument.objects.filter(
            pk=pk, status=S.PROCESSING, progress_at__lt=cutoff, attempts=attempts
        )
        if attempts >= settings.INBOX_READ_ATTEMPTS:
            reason = MANUAL_ENTRY_REASON.format(attempts=attempts)
            if still_stale.update(status=S.FAILED, failure_reason=reason, progress_at=now):
                outcome.gave_up.append(pk)
                _audit(pk, "inbox.failed", f"Inbound document could not be read: {reason}")
            continue
        # Back to "received": the read task's own guard (status RECEIVED → PROCESSING under a
        # row lock) makes a duplicate delivery of the task harmless.
        if still_stale.update(status=S.RECEIVED, pages_done=0, progress_at=now):
            outcome.retried.append(pk)
            _audit(
                pk,
                "inbox.retried",
                f"Inbound document read again: attempt {attempts} showed no progress.",
            )
            from ..tasks import inbound_document_read

            enqueue_on_commit(inbound_document_read, str(pk))
    return outcome
