"""Celery tasks for appeals. They take ids, call one service and are idempotent."""

from celery import shared_task

from intake.models import LineOfBusiness
from um_portal.celery import app

from .models import FORWARDABLE_STATUSES, Appeal
from .services.ire import appeal_forward_to_ire

FORWARD_SWEEP_SECONDS = 300


@shared_task(bind=True, max_retries=5, acks_late=True, ignore_result=True)
def appeal_forward_to_ire_task(self, appeal_id: str) -> bool:
    """Forward an upheld MA reconsideration to the IRE (the transition claims it once)."""
    try:
        return appeal_forward_to_ire(appeal_id=appeal_id)
    except OSError as exc:  # storage hiccup: try again; the appeal stays decided meanwhile
        raise self.retry(exc=exc, countdown=60) from exc


@shared_task(ignore_result=True)
def appeals_forward_sweep_task() -> int:
    """Beat: forward any MA appeal whose after-commit task was lost (a broker outage), so the
    case reaches the IRE by its deadline (42 CFR 422.590(a)(2))."""
    pending = Appeal.objects.filter(
        status__in=FORWARDABLE_STATUSES, line_of_business=LineOfBusiness.MEDICARE_ADVANTAGE
    ).values_list("pk", flat=True)[:100]
    return sum(appeal_forward_to_ire(appeal_id=pk) for pk in pending)


@app.on_after_finalize.connect
def schedule_forward_sweep(sender, **kwargs) -> None:
    sender.add_periodic_task(
        FORWARD_SWEEP_SECONDS,
        appeals_forward_sweep_task.s(),
        name="appeals: forward upheld MA reconsiderations to the IRE",
    )
