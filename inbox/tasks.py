"""Inbox background work: reading documents, and scanning the watched fax folder."""

from django.conf import settings

from um_portal.celery import app

from .services.folder import watch_folder_scan
from .services.processing import inbound_document_read as read_service


@app.task(name="inbox.tasks.inbound_document_read")
def inbound_document_read(document_id: str) -> str:
    """Read one inbound document (idempotent: a document already taken is left alone)."""
    return read_service(document_id=document_id).status


@app.task(name="inbox.tasks.watch_folder_scan")
def watch_folder_scan_task() -> int:
    """Pick up the complete files in INBOX_WATCH_DIR."""
    return len(watch_folder_scan())


@app.on_after_finalize.connect
def register_periodic_tasks(sender, **kwargs) -> None:
    if settings.INBOX_WATCH_DIR:
        sender.add_periodic_task(
            settings.INBOX_WATCH_SECONDS, watch_folder_scan_task.s(), name="inbox: fax folder"
        )
