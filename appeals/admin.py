"""Appeals in the admin are read-only: they change only through the services."""

from django.contrib import admin

from .models import Appeal, AppealEvent


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    list_display = ["reference", "status", "line_of_business", "priority", "received_at", "due_at"]
    list_filter = ["status", "line_of_business", "priority"]
    readonly_fields = [f.name for f in Appeal._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AppealEvent)
class AppealEventAdmin(admin.ModelAdmin):
    list_display = ["appeal", "transition", "from_status", "to_status", "actor", "at"]
    readonly_fields = [f.name for f in AppealEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
