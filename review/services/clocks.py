"""Turnaround clocks (DESIGN §5): at-risk and breach notices, and the documented extension.

A pend for information does not stop the clock (CMS-0057-F): pending_info is one of the clock
statuses, and a pend never moves `due_at`.
"""

from datetime import datetime, timedelta

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from intake.models import CareRequest, CareRequestStatus
from intake.models.care_request import CLOCK_STATUSES
from um_portal.accounts.permissions import user_has_role
from um_portal.accounts.roles import Role
from um_portal.audit.services import audit_event
from um_portal.lib.errors import InvalidTransition, NotPermitted, ValidationFailed
from um_portal.lib.tasks import enqueue_on_commit
from um_portal.lib.timefmt import time_left_label

from ..extensions import clock_extension_notify, run_clock_sweeps
from ..models import Notification
from ..selectors.clock import CONCURRENT_REFUSAL, at_risk_q, clock_extension_rule

# A notification whose e-mail has not gone out after this long is sent again by the sweep.
EMAIL_RETRY_AFTER = timedelta(minutes=10)

CLAIM_FIELD = {
    Notification.Kind.AT_RISK: "at_risk_notified_at",
    Notification.Kind.BREACHED: "breach_notified_at",
}


def clocks_sweep_run(*, now: datetime | None = None) -> dict[str, int]:
    """Find newly at-risk and newly breached cases and notify each once. Safe to run from any
    number of workers at once: each case row is claimed with a conditional UPDATE."""
    now = now or timezone.now()
    running = CareRequest.objects.filter(
        status__in=CLOCK_STATUSES, due_at__isnull=False, received_at__isnull=False
    )
    breached = list(
        running.filter(due_at__lte=now, breach_notified_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    # The dashboard's at-risk rule, in SQL: only the cases it names leave the database.
    at_risk = list(
        running.filter(due_at__gt=now, at_risk_notified_at__isnull=True)
        .filter(at_risk_q(now))
        .values_list("pk", flat=True)
    )
    counts = {
        "breached": sum(
            clock_notify(case_id=pk, kind=Notification.Kind.BREACHED, now=now) for pk in breached
        ),
        "at_risk": sum(
            clock_notify(case_id=pk, kind=Notification.Kind.AT_RISK, now=now) for pk in at_risk
        ),
    }
    counts.update(run_clock_sweeps(now))  # appeals' clocks (review.extensions)
    counts["emails_retried"] = notification_emails_retry(now=now)
    return counts


@transaction.atomic
def clock_notify(*, case_id, kind: str, now: datetime) -> int:
    """Claim the case for this notice and tell its assignee and queue lead, in the app and by
    e-mail (after commit). Returns 1 when this call claimed it, 0 when another run had."""
    field = CLAIM_FIELD[kind]
    claimed = CareRequest.objects.filter(
        pk=case_id, status__in=CLOCK_STATUSES, **{f"{field}__isnull": True}
    ).update(**{field: now})
    if claimed != 1:
        return 0
    case = CareRequest.objects.select_related("assigned_to", "queue__lead").get(pk=case_id)
    recipients = {}
    for user in (case.assigned_to, case.queue.lead if case.queue_id else None):
        if user is not None and user.is_active:
            recipients[user.pk] = user
    label = (
        "is at risk of missing its due time"
        if kind == Notification.Kind.AT_RISK
        else ("is past its due time")
    )
    for user in recipients.values():
        notification, created = Notification.objects.get_or_create(
            user=user,
            care_request=case,
            kind=kind,
            due_at=case.due_at,
            defaults={
                "message": f"Case {case.reference} {label} ({time_left_label(case.due_at, now)})."
            },
        )
        if created and user.email:
            from ..tasks import notification_email_send  # tasks import this module

            enqueue_on_commit(notification_email_send, str(notification.pk))
    audit_event(
        actor=None,
        action=f"clock.{kind}",
        case_id=case.pk,
        summary=f"Case {label}; notified: "
        f"{', '.join(u.display_name for u in recipients.values()) or 'nobody (unassigned)'}.",
        data={
            "due_at": case.due_at.isoformat(),
            "notified": [u.username for u in recipients.values()],
        },
    )
    return 1


def notification_email(notification: Notification) -> tuple[str, str]:
    """Subject and body. Neither names the member: the case reference is enough to find it."""
    case = notification.care_request
    user = notification.user
    if notification.kind == Notification.Kind.AT_RISK:
        subject = f"UM Portal: case {case.reference} is at risk of missing its due time"
    else:
        subject = f"UM Portal: case {case.reference} is past its due time"
    body = render_to_string(
        f"emails/clock_{notification.kind}.txt",
        {
            "user": user,
            "reference": case.reference,
            "due_at": case.due_at,  # shown in the recipient's own time zone
            "time_left": time_left_label(case.due_at),
            "assigned": case.assigned_to_id == user.pk,
        },
    )
    return subject, body


def notification_email_deliver(*, notification_id) -> bool:
    """Send one notification's e-mail unless it went already; True when sent now."""
    notification = (
        Notification.objects.select_related("user", "care_request")
        .filter(pk=notification_id, emailed_at__isnull=True)
        .first()
    )
    if notification is None or not notification.user.email:
        return False
    subject, body = notification_email(notification)
    send_mail(subject, body, None, [notification.user.email])
    Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    return True


def notification_emails_retry(*, now: datetime) -> int:
    """Re-queue e-mails still unsent well after their notification (a lost broker message)."""
    from ..tasks import notification_email_send

    stale = list(
        Notification.objects.filter(emailed_at__isnull=True, created_at__lt=now - EMAIL_RETRY_AFTER)
        .exclude(user__email="")
        .exclude(kind=Notification.Kind.REFERRED)  # in-app only: no clock e-mail for them
        .values_list("pk", flat=True)
    )
    for pk in stale:
        notification_email_send.delay(str(pk))
    return len(stale)


# Who may extend a clock; each of them works the case while it waits for information.
EXTENSION_ROLES = (Role.INTAKE, Role.NURSE, Role.DIRECTOR, Role.MANAGER)
NO_EXTENSION = "This line of business's post-service clock allows no extension."


def extension_refusal(case: CareRequest, *, now: datetime | None = None) -> str | None:
    """Why the case's clock cannot be extended now, or None when it can. Once per case (the
    original due time is then kept); never for concurrent review; a prospective case only while
    it waits for information; a retrospective one while its clock runs, before it ends, when
    its line of business allows an extension at all."""
    if case.original_due_at is not None:
        return "This case's clock was already extended; it can be extended once."
    if case.request_type == CareRequest.RequestType.CONCURRENT:
        return CONCURRENT_REFUSAL
    if case.request_type == CareRequest.RequestType.RETROSPECTIVE:
        if case.status not in CLOCK_STATUSES or case.due_at is None:
            return "The clock of this case is not running."
        if case.due_at <= (now or timezone.now()):
            return (
                "The post-service period has ended: an extension must be taken before it ends "
                "(29 CFR 2560.503-1(f)(2)(iii)(B))."
            )
    elif case.status != CareRequestStatus.PENDING_INFO:
        return "A clock can be extended only while the case waits for information."
    if clock_extension_rule(case) is None:  # the only check that may cost a query
        return NO_EXTENSION
    return None


def care_request_may_extend(*, case: CareRequest, user) -> bool:
    """What the case pages ask before they offer the extension form; the service asks again
    on the locked row."""
    return user_has_role(user, *EXTENSION_ROLES) and extension_refusal(case) is None


@transaction.atomic
def care_request_extend(*, case: CareRequest, actor, days: int, reason: str) -> CareRequest:
    """Extend the decision clock once, with a reason, by at most what the case's kind of review
    allows (review.selectors.clock.clock_extension_rule: prospective 14 days while pending
    information, retrospective the post-service extension of its line of business, concurrent
    none); the original due time is kept. Recorded as a "clock.extended" event (a metric); the
    written notice to the provider and the member is written in the same transaction
    (review.extensions.clock_extension_notify)."""
    if not user_has_role(actor, *EXTENSION_ROLES):
        raise NotPermitted("Your role may not extend a case's clock.")
    locked = (
        CareRequest.objects.select_for_update(of=("self",))
        .select_related("coverage__plan")
        .get(pk=case.pk)
    )
    refusal = extension_refusal(locked)
    if refusal is not None:
        raise InvalidTransition(refusal)
    rule = clock_extension_rule(locked)
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = ["Give the reason for the extension."]
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= rule.max_days:
        errors["days"] = [f"Choose between 1 and {rule.max_days} days."]
    if errors:
        raise ValidationFailed("The extension has errors.", field_errors=errors)
    new_due = locked.due_at + timedelta(days=days)
    # The new deadline gets its own at-risk and breach notices.
    CareRequest.objects.filter(pk=locked.pk).update(
        original_due_at=locked.due_at,
        due_at=new_due,
        extension_reason=reason,
        at_risk_notified_at=None,
        breach_notified_at=None,
    )
    audit_event(
        actor=actor,
        action="clock.extended",
        case_id=locked.pk,
        summary=f"Decision due time extended by {days} days "
        f"({locked.get_request_type_display().lower()} review).",
        data={
            "days": days,
            "max_days": rule.max_days,
            "request_type": locked.request_type,
            "original_due_at": locked.due_at.isoformat(),
            "due_at": new_due.isoformat(),
            "reason": reason,
            "source": rule.source,
        },
    )
    clock_extension_notify(locked.pk)
    return CareRequest.objects.get(pk=locked.pk)
