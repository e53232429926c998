"""Review's periodic and background tasks. Tasks take IDs and call one service."""

import smtplib

from um_portal.celery import app

from .services.clocks import clocks_sweep_run, notification_email_deliver

CLOCK_SWEEP_SECONDS = 300


@app.task(name="review.tasks.clocks_sweep")
def clocks_sweep() -> dict[str, int]:
    """Mark cases at risk and breached and notify each once (every few minutes, from beat)."""
    return clocks_sweep_run()


@app.task(
    name="review.tasks.notification_email_send",
    autoretry_for=(smtplib.SMTPException, ConnectionError),
    retry_backoff=True,
    max_retries=5,
)
def notification_email_send(notification_id: str) -> bool:
    """E-mail one notification (idempotent: a notification already e-mailed is skipped)."""
    return notification_email_deliver(notification_id=notification_id)


@app.on_after_finalize.connect
def register_periodic_tasks(sender, **kwargs) -> None:
    sender.add_periodic_task(
        CLOCK_SWEEP_SECONDS, clocks_sweep.s(), name="review: turnaround clocks sweep"
    )
