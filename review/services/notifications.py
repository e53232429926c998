"""Marking a user's own in-app notifications read. Only the owner may: a notification of
someone else is NotFound, exactly like one that does not exist."""

import uuid

from django.db import transaction
from django.utils import timezone

from intake.models import CareRequest
from um_portal.accounts.models import User
from um_portal.accounts.roles import Role
from um_portal.lib.errors import NotFound

from ..models import Notification, ReviewerProfile


@transaction.atomic
def notification_mark_read(*, user, notification_id: uuid.UUID) -> bool:
    """Mark one of the user's notifications read. True when this call marked it, False when it
    was read already (a second click, another tab): the first read time is kept."""
    mine = Notification.objects.filter(pk=notification_id, user=user)
    if mine.filter(read_at__isnull=True).update(read_at=timezone.now()):
        return True
    if not mine.exists():
        raise NotFound("No such notification.")
    return False


@transaction.atomic
def notification_mark_all_read(*, user) -> int:
    """Mark every unread notification of the user read; returns how many were marked."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notification_referral_create(*, care_request: CareRequest) -> int:
    """Tell the medical directors who work the case's queue (every active director when none
    does) that a case was referred to them. In-app only; the message names the case reference,
    never the member. Returns how many were created (a repeat referral with the same deadline
    is not repeated)."""
    directors = User.objects.filter(is_active=True, groups__name=Role.DIRECTOR)
    of_queue = ReviewerProfile.objects.filter(
        is_active=True, user__in=directors, queues=care_request.queue_id
    ).values("user")
    recipients = list(directors.filter(pk__in=of_queue).distinct()) if care_request.queue_id else []
    recipients = recipients or list(directors.distinct())
    created = Notification.objects.bulk_create(
        [
            Notification(
                user=user,
                care_request=care_request,
                kind=Notification.Kind.REFERRED,
                due_at=care_request.due_at or timezone.now(),
                message=f"{care_request.reference} was referred to medical director review.",
            )
            for user in recipients
        ],
        ignore_conflicts=True,
    )
    return len(created)
