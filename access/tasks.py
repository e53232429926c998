"""Bulk export tasks: the export itself, and the hourly expiry sweep."""

from um_portal.celery import app

from .services import export_run, exports_expire

EXPIRY_SWEEP_SECONDS = 3600


@app.task(name="access.tasks.bulk_export_run")
def bulk_export_run(export_id: str) -> bool:
    """Run one queued Group $export (idempotent: only an accepted export is claimed)."""
    return export_run(export_id=export_id)


@app.task(name="access.tasks.bulk_exports_expire")
def bulk_exports_expire() -> int:
    """Delete expired export files and spent client-assertion ids (hourly, from beat)."""
    return exports_expire()


@app.on_after_finalize.connect
def schedule_expiry(sender, **kwargs) -> None:
    sender.add_periodic_task(
        EXPIRY_SWEEP_SECONDS, bulk_exports_expire.s(), name="access: expire bulk exports"
    )
