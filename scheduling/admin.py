from django.contrib import admin, messages

from um_portal.audit.admin import CaseRecordAdmin, ConfigAdmin

from .models import AvailabilityException, AvailabilityRule, Holiday, P2POffer, PeerToPeer, Slot
from .services.availability import slots_generate


@admin.action(description="Regenerate the slots of these directors")
def regenerate_slots(modeladmin, request, queryset):
    directors = {row.director for row in queryset.select_related("director")}
    for director in directors:
        slots_generate(director=director)
    messages.success(request, f"Slots regenerated for {len(directors)} director(s).")


@admin.register(AvailabilityRule)
class AvailabilityRuleAdmin(ConfigAdmin):
    list_display = ["director", "weekday", "start_time", "end_time", "slot_minutes", "valid_from"]
    list_filter = ["director", "weekday"]
    actions = [regenerate_slots]


@admin.register(AvailabilityException)
class AvailabilityExceptionAdmin(ConfigAdmin):
    list_display = ["director", "date", "kind", "start_time", "end_time", "reason"]
    list_filter = ["director", "kind"]
    date_hierarchy = "date"
    actions = [regenerate_slots]


@admin.register(Holiday)
class HolidayAdmin(ConfigAdmin):
    list_display = ["date", "name"]
    date_hierarchy = "date"


@admin.register(Slot)
class SlotAdmin(ConfigAdmin):
    list_display = ["director", "starts_at", "ends_at", "is_withdrawn"]
    list_filter = ["director", "is_withdrawn"]
    date_hierarchy = "starts_at"
    readonly_fields = ["director", "starts_at", "ends_at"]


@admin.register(PeerToPeer)
class PeerToPeerAdmin(CaseRecordAdmin):
    """Read-only: bookings change through the scheduling pages, which send the invites."""

    list_display = ["care_request", "status", "outcome", "slot", "requested_at"]
    list_filter = ["status", "outcome"]


@admin.register(P2POffer)
class P2POfferAdmin(CaseRecordAdmin):
    list_display = ["care_request", "offered_at", "earliest_slot_at", "within_deadline"]
