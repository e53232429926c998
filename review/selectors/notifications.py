"""Reads of a user's own in-app notifications (turnaround clocks). Every read is scoped to the
asking user: nobody sees, counts or finds another user's notifications."""

from django.db.models import QuerySet

from um_portal.lib.paging import Page, page_of

from ..models import Notification

NOTIFICATIONS_PER_PAGE = 25


def _for_user(user) -> QuerySet[Notification]:
    if not (user and user.is_authenticated):
        return Notification.objects.none()
    return Notification.objects.filter(user=user)


def notification_page_for_user(
    *, user, unread_only: bool = False, page: int = 1, per_page: int = NOTIFICATIONS_PER_PAGE
) -> Page:
    """One page of the user's notifications, newest first, each with its case: one query however
    many the user has (um_portal.lib.paging: no COUNT, so an empty list costs the same as a full
    one)."""
    notifications = _for_user(user).select_related("care_request").order_by("-created_at", "-pk")
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return page_of(notifications, number=page, per_page=per_page)


def notification_unread_count_for_user(*, user) -> int:
    """How many of the user's notifications are unread: one COUNT on the (user, read_at) index,
    run on every staff page for the navigation badge."""
    return _for_user(user).filter(read_at__isnull=True).count()
