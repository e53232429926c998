"""The unread-notification count for the staff navigation badge."""

from functools import cache

from .selectors.notifications import notification_unread_count_for_user


def notifications(request) -> dict:
    """`unread_notification_count`: a callable the template engine calls, so the count is read
    only on a page that shows it (the staff navigation, the dashboard panel) and then once per
    page, however often it is shown. Providers and anonymous visitors never cost a query."""
    user = getattr(request, "user", None)

    @cache
    def unread_notification_count() -> int:
        if user is None or not user.is_authenticated or not user.is_staff_member:
            return 0
        return notification_unread_count_for_user(user=user)

    return {"unread_notification_count": unread_notification_count}
