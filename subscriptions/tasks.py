"""Celery tasks for subscription notifications. Tasks take ids and call one service; the
services claim rows with conditional UPDATEs, so a redelivered task finds nothing to do."""

from celery import shared_task

from um_portal.celery import app

from .conf import subscription_setting
from .services.delivery import notification_deliver
from .services.outbox import notifications_fan_out, notifications_sweep


@shared_task(bind=True, max_retries=None, acks_late=True, ignore_result=True)
def notification_deliver_task(self, notification_id: str) -> str:
    """Post one notification; a failed post is retried with backoff, then dead-lettered."""
    outcome = notification_deliver(notification_id)
    if outcome.retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=outcome.retry_in)
    # In-process (no broker), the retry is left to the sweeper rather than blocking the request.
    return outcome.result


@shared_task(ignore_result=True)
def notifications_fan_out_task(status_event_id: int) -> int:
    """Queue the notifications one status event owes to subscriptions."""
    return len(notifications_fan_out(status_event_ids=[status_event_id]))


@shared_task(ignore_result=True)
def notifications_sweep_task() -> dict:
    """Beat: missed events, heartbeats, retries due, dead workers' claims."""
    return notifications_sweep()


@app.on_after_finalize.connect
def schedule_notification_sweep(sender, **kwargs) -> None:
    sender.add_periodic_task(
        subscription_setting("SWEEP_INTERVAL_SECONDS"),
        notifications_sweep_task.s(),
        name="subscriptions: heartbeats, retries and missed events",
    )
