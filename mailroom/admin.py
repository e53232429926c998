from django.contrib import admin

from um_portal.audit.admin import CaseRecordAdmin, ReadOnlyAdmin

from .models import MailBatch, MailPiece


@admin.register(MailBatch)
class MailBatchAdmin(ReadOnlyAdmin):
    """Dates and counts only: the index CSV (which names members) is not shown here."""

    list_display = ["batch_date", "status", "letter_count", "page_count", "handed_over_how"]
    exclude = ["pdf", "csv"]


@admin.register(MailPiece)
class MailPieceAdmin(CaseRecordAdmin):
    list_display = ["batch", "sequence", "letter", "pages", "status", "mailed_at"]
    list_select_related = ["batch", "letter__determination", "letter"]
    access_case_attr = "case_pk"
