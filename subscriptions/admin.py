from django.contrib import admin, messages

from um_portal.audit.admin import CaseRecordAdmin, ReadOnlyAdmin

from .models import Notification, Subscription
from .services.outbox import notification_retry


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    """The organisations' subscriptions; they change only through the FHIR API."""

    list_display = [
        "id",
        "organization",
        "endpoint",
        "status",
        "events_since_start",
        "last_sent_at",
    ]
    list_filter = ["status"]
    list_select_related = ["organization"]
    exclude = ["headers"]  # may carry the client's own credentials


@admin.register(Notification)
class NotificationAdmin(CaseRecordAdmin):
    """The outbox; filter on "Dead letter" for notifications that could not be delivered. An
    event notification names a case: its pages are read-only and access-logged."""

    list_display = [
        "created_at",
        "subscription",
        "kind",
        "event_number",
        "status",
        "attempts",
        "last_error",
    ]
    list_filter = ["status", "kind"]
    list_select_related = ["subscription__organization"]
    actions = ["retry"]

    @admin.action(description="Send the selected dead letters again")
    def retry(self, request, queryset):
        count = sum(notification_retry(notification=n) for n in queryset)
        self.message_user(request, f"{count} notification(s) queued again.", messages.SUCCESS)
