from django.contrib import admin

from um_portal.audit.admin import ReadOnlyAdmin

from .models import ExtractedField, InboundDocument, InboundPage


class PageInline(admin.TabularInline):
    model = InboundPage
    fields = ["number", "kind", "suggested_document_kind", "mean_confidence"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class FieldInline(admin.TabularInline):
    model = ExtractedField
    fields = ["name", "value", "confidence", "page", "valid", "validation_message"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(InboundDocument)
class InboundDocumentAdmin(ReadOnlyAdmin):
    """Read-only: the inbox is worked on its own screens, where every change is audited."""

    list_display = ["arrived_at", "source", "status", "page_count", "claimed_by", "care_request"]
    list_filter = ["status", "source"]
    readonly_fields = [f.name for f in InboundDocument._meta.fields]
    inlines = [PageInline, FieldInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
