"""The daily summaries' sweep, on Celery beat."""

from um_portal.celery import app

from .rollup.build import rollup_refresh

# Often enough that a report recomputes only minutes of changes live, rarely enough that the
# sweep (a few indexed reads when nothing changed) costs nothing measurable.
SWEEP_SECONDS = 300.0


@app.task
def reports_rollup_refresh() -> int:
    return rollup_refresh()


@app.on_after_finalize.connect
def register_periodic_tasks(sender, **kwargs) -> None:
    sender.add_periodic_task(
        SWEEP_SECONDS, reports_rollup_refresh.s(), name="reports: refresh daily summaries"
    )
