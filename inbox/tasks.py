"""Inbox background work: reading documents, and scanning the watched fax folder."""

from django.conf import settings

from um_portal.celery import app

from .services.folder import watch_folder_scan
from .services.processing import inbound_document_read as read_service
from .services.stale import inbound_document_retry_stale


@app.task(name="inbox.tasks.inbound_document_read")
def inbound_document_read(document_id: str) -> str:
    """Read one inbound document (idempotent: a document already taken is left alone)."""
    return read_service(document_id=document_id).status


@app.task(name="inbox.tasks.watch_folder_scan")
def watch_folder_scan_task() -> int:
    """Pick up the complete files in INBOX_WATCH_DIR."""
    return len(watch_folder_scan())


@app.task(name="inbox.tasks.inbound_document_retry_stale")
def inbound_document_retry_stale_task() -> int:
    """Read again the documents whose worker died mid-reading (or give up on them)."""
    outcome = inbound_document_retry_stale()
    return len(outcome.retried) + len(outcome.gave_up)


@app.on_after_finalize.connect
def register_periodic_tasks(sender, **kwargs) -> None:
    sender.add_periodic_task(
        settings.INBOX_STALE_CHECK_SECONDS,
        inbound_document_retry_stale_task.s(),
        name="inbox: stale readings",
    )
    if settings.INBOX_WATCH_DIR:
        sender.add_periodic_task(
            settings.INBOX_WATCH_SECONDS, watch_folder_scan_task.s(), name="inbox: fax folder"
        )
