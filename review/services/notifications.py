"""Marking a user's own in-app notifications read. Only the owner may: a notification of
someone else is NotFound, exactly like one that does not exist."""

import uuid

from django.db import transaction
from django.utils import timezone

from um_portal.lib.errors import NotFound

from ..models import Notification


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
