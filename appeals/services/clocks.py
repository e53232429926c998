"""Appeal clocks in review's sweep (review.extensions): at-risk and breach notices, once per
appeal and deadline, to the assigned physician or, while unassigned, the UM managers."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from review.models import Notification
from review.selectors.clock import at_risk_q
from um_portal.accounts.roles import Role
from um_portal.audit.services import audit_event
from um_portal.lib.tasks import enqueue_on_commit
from um_portal.lib.timefmt import time_left_label

from ..models import OPEN_STATUSES, Appeal

CLAIM_FIELD = {
    Notification.Kind.AT_RISK: "at_risk_notified_at",
    Notification.Kind.BREACHED: "breach_notified_at",
}


def appeal_clocks_sweep(now: datetime) -> dict[str, int]:
    """Newly at-risk and newly breached open appeals, each claimed with a conditional UPDATE
    so concurrent sweeps notify once. Uses the dashboard's at-risk rule (at_risk_q)."""
    running = Appeal.objects.filter(status__in=OPEN_STATUSES)
    breached = list(
        running.filter(due_at__lte=now, breach_notified_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    at_risk = list(
        running.filter(due_at__gt=now, at_risk_notified_at__isnull=True)
        .filter(at_risk_q(now))
        .values_list("pk", flat=True)
    )
    return {
        "appeals_breached": sum(
            appeal_clock_notify(appeal_id=pk, kind=Notification.Kind.BREACHED, now=now)
            for pk in breached
        ),
        "appeals_at_risk": sum(
            appeal_clock_notify(appeal_id=pk, kind=Notification.Kind.AT_RISK, now=now)
            for pk in at_risk
        ),
    }


@transaction.atomic
def appeal_clock_notify(*, appeal_id, kind: str, now: datetime) -> int:
    field = CLAIM_FIELD[kind]
    claimed = Appeal.objects.filter(
        pk=appeal_id, status__in=OPEN_STATUSES, **{f"{field}__isnull": True}
    ).update(**{field: now})
    if claimed != 1:
        return 0
    appeal = Appeal.objects.select_related("assigned_to", "care_request").get(pk=appeal_id)
    if appeal.assigned_to is not None and appeal.assigned_to.is_active:
        recipients = [appeal.assigned_to]
    else:
        recipients = list(
            get_user_model().objects.filter(groups__name=Role.MANAGER, is_active=True)
        )
    label = (
        "is at risk of missing its due time"
        if kind == Notification.Kind.AT_RISK
        else "is past its due time"
    )
    from review.tasks import notification_email_send

    for user in recipients:
        notification, created = Notification.objects.get_or_create(
            user=user,
            care_request=appeal.care_request,
            kind=kind,
            due_at=appeal.due_at,
            defaults={
                "message": f"Appeal {appeal.reference} {label} "
                f"({time_left_label(appeal.due_at, now)})."
            },
        )
        if created and user.email:
            enqueue_on_commit(notification_email_send, str(notification.pk))
    audit_event(
        actor=None,
        action=f"appeal.clock.{kind}",
        case_id=appeal.care_request_id,
        summary=f"Appeal {appeal.reference} {label}; notified: "
        f"{', '.join(u.display_name for u in recipients) or 'nobody'}.",
        data={"appeal": str(appeal.pk), "notified": [u.username for u in recipients]},
    )
    return 1
