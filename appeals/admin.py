"""Appeals in the admin are read-only: they change only through the services."""

from django.contrib import admin

from um_portal.audit.admin import CaseRecordAdmin

from .models import Appeal, AppealEvent


@admin.register(Appeal)
class AppealAdmin(CaseRecordAdmin):
    list_display = ["reference", "status", "line_of_business", "priority", "received_at", "due_at"]
    list_filter = ["status", "line_of_business", "priority"]


@admin.register(AppealEvent)
class AppealEventAdmin(CaseRecordAdmin):
    access_case_attr = "appeal.care_request_id"
    list_select_related = ["appeal", "actor"]
    list_display = ["appeal", "transition", "from_status", "to_status", "actor", "at"]
