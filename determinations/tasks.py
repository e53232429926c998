"""Celery tasks for the letter outbox. Tasks take IDs, call one service and are idempotent: the
services claim rows with conditional UPDATEs, so a redelivered task finds nothing left to do."""

import logging

from celery import shared_task

from um_portal.celery import app

from .conf import letter_setting
from .services.delivery import TransientLetterError
from .services.delivery import letter_process as letter_process_service
from .services.outbox import letters_sweep

log = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=4, acks_late=True, ignore_result=True)
def letter_process(self, letter_id: str) -> str:
    """Render, store and deliver one letter (whatever is left of it)."""
    try:
        return letter_process_service(letter_id)
    except TransientLetterError as exc:
        if self.request.is_eager:
            # In-process (no broker): leave the letter in the outbox for the sweeper rather than
            # failing the request that made the decision.
            log.warning("Letter %s: transient failure, left for the sweeper: %s", letter_id, exc)
            return "retry_later"
        raise self.retry(exc=exc, countdown=min(300, 15 * 2**self.request.retries)) from exc


@shared_task(ignore_result=True)
def letters_sweep_task() -> dict:
    """Beat: re-queue letters not sent after a few minutes; release dead workers' claims."""
    return letters_sweep()


@app.on_after_finalize.connect
def schedule_letter_sweep(sender, **kwargs) -> None:
    sender.add_periodic_task(
        letter_setting("LETTER_SWEEP_INTERVAL_SECONDS"),
        letters_sweep_task.s(),
        name="determinations: sweep the letter outbox",
    )
