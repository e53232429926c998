"""Reads of a user's own in-app notifications (turnaround clocks)."""

from ..models import Notification


def notification_list_for_user(*, user, unread_only: bool = False, limit: int = 20) -> list:
    """The user's latest notifications, newest first, with their cases (one query)."""
    notifications = Notification.objects.filter(user=user).select_related("care_request")
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return list(notifications.order_by("-created_at")[:limit])
