"""Writes for program goals: create, change, and the falling-behind alert."""

from datetime import date

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from um_portal.audit.services import audit_event

from ..models import Goal
from ..selectors.goals import MetricCache, goal_list, goal_status

GOAL_FIELDS = (
    "name",
    "metric",
    "direction",
    "target",
    "amber_margin",
    "period",
    "line_of_business",
    "is_active",
)


@transaction.atomic
def goal_create(*, actor, fields: dict) -> Goal:
    """A new goal, owned (and alerted to) the manager who sets it."""
    goal = Goal.objects.create(owner=actor, **{k: fields[k] for k in GOAL_FIELDS if k in fields})
    audit_event(actor=actor, action="goal_create", summary=f"Goal set: {goal.name}")
    return goal


@transaction.atomic
def goal_update(*, actor, goal: Goal, fields: dict) -> Goal:
    """Change a goal. A new target is judged afresh: the period's alert may be sent again."""
    changed = [k for k in GOAL_FIELDS if k in fields and getattr(goal, k) != fields[k]]
    for key in changed:
        setattr(goal, key, fields[key])
    if {"target", "direction", "metric", "period", "line_of_business"} & set(changed):
        goal.alerted_period_start = None
        goal.alerted_at = None
    goal.save()
    audit_event(
        actor=actor,
        action="goal_update",
        summary=f"Goal changed: {goal.name}",
        data={"changed": changed},
    )
    return goal


def _claim_alert(goal: Goal, start: date) -> bool:
    """True for the one caller that marks this period's alert as sent (a conditional update, so
    concurrent beat runs cannot both send it)."""
    return bool(
        Goal.objects.filter(pk=goal.pk)
        .filter(Q(alerted_period_start__isnull=True) | Q(alerted_period_start__lt=start))
        .update(alerted_period_start=start, alerted_at=timezone.now())
    )


def _send_alert(goal: Goal, value, start: date) -> None:
    # The goal's name and numbers only: no case, no member.
    send_mail(
        f"UM goal falling behind: {goal.name}",
        f"{goal.name} is at {value}{'' if goal.is_kappa else ' %'} for the period from "
        f"{start:%B %d, %Y}; the target is "
        f"{goal.target_label}.\n\nSee the UM program goals page for the weekly trend.",
        None,
        [goal.owner.email],
    )


def goal_alerts_run(*, today: date | None = None) -> int:
    """Tell each goal's owner, once per period, that the goal is red; return how many were told.

    Run from beat. A goal that recovers and falls behind again in the same period is not
    alerted twice: the owner already knows, and the page shows the state.
    """
    today = today or timezone.localdate()
    cache = MetricCache()
    sent = 0
    for goal in goal_list():
        status = goal_status(goal, today=today, cache=cache, trend=False)
        if status.state != "red" or not goal.owner.email:
            continue
        with transaction.atomic():
            if _claim_alert(goal, status.start):
                transaction.on_commit(
                    lambda g=goal, v=status.value, s=status.start: _send_alert(g, v, s)
                )
                audit_event(actor=None, action="goal_alert", summary=f"Goal behind: {goal.name}")
                sent += 1
    return sent
