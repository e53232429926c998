from django.contrib import admin

from um_portal.audit.admin import AccessLoggedAdminMixin, ReadOnlyAdmin, ReadOnlyInline

from .models import ExtractedField, InboundDocument, InboundPage


class PageInline(ReadOnlyInline):
    model = InboundPage
    fields = ["number", "kind", "suggested_document_kind", "mean_confidence"]
    readonly_fields = fields


class FieldInline(ReadOnlyInline):
    model = ExtractedField
    fields = ["name", "value", "confidence", "page", "valid", "validation_message"]
    readonly_fields = fields


@admin.register(InboundDocument)
class InboundDocumentAdmin(AccessLoggedAdminMixin, ReadOnlyAdmin):
    """Read-only: the inbox is worked on its own screens, where every change is audited."""

    def access_case_id(self, row):
        # A fax read before it becomes a case is logged under its own id, as the inbox pages do.
        return row.care_request_id or row.pk

    list_display = ["arrived_at", "source", "status", "page_count", "claimed_by", "care_request"]
    list_filter = ["status", "source"]
    readonly_fields = [f.name for f in InboundDocument._meta.fields]
    inlines = [PageInline, FieldInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
