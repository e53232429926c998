"""Periodic tasks of the UM program. Tasks call one service."""

from um_portal.celery import app

from .services.goals import goal_alerts_run

GOAL_CHECK_SECONDS = 3600


@app.task(name="quality.tasks.goal_alerts")
def goal_alerts() -> int:
    """Alert each goal's owner once per period when the goal is red (hourly, from beat)."""
    return goal_alerts_run()


@app.on_after_finalize.connect
def register_periodic_tasks(sender, **kwargs) -> None:
    sender.add_periodic_task(GOAL_CHECK_SECONDS, goal_alerts.s(), name="quality: goal alerts")
