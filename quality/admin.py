"""Admin for the IRR configuration a UM manager writes: the thresholds and audit month, and the
gold-standard vignettes with their reference answers. Audits themselves are built and read on
the quality pages, not here."""

from django.contrib import admin

from um_portal.audit.admin import ConfigAuditMixin

from .models import IrrSettings, Vignette, VignetteAnswer


@admin.register(IrrSettings)
class IrrSettingsAdmin(ConfigAuditMixin, admin.ModelAdmin):
    list_display = ["__str__", "kappa_threshold", "agreement_threshold", "audit_month"]

    def has_add_permission(self, request):
        # One row: the plan's settings.
        return super().has_add_permission(request) and not IrrSettings.objects.exists()


class VignetteAnswerInline(admin.TabularInline):
    model = VignetteAnswer
    extra = 1
    fields = ("criterion", "answer")
    autocomplete_fields = ()


@admin.register(Vignette)
class VignetteAdmin(ConfigAuditMixin, admin.ModelAdmin):
    list_display = ["title", "criteria_set", "reference_decision", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["title"]
    inlines = [VignetteAnswerInline]
