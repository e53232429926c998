from django.contrib import admin

from um_portal.audit.admin import CaseRecordAdmin, ConfigAdmin, ReadOnlyInline

from .models import (
    AdministrativeAuthority,
    AppealPolicy,
    AppealTurnaround,
    DenialReason,
    Determination,
    Letter,
    LineDecision,
    NetworkException,
)


@admin.register(DenialReason)
class DenialReasonAdmin(ConfigAdmin):
    list_display = [
        "code",
        "label",
        "requires_criterion",
        "administrative",
        "is_active",
        "sort_order",
    ]
    list_editable = ["is_active", "sort_order"]


@admin.register(AdministrativeAuthority)
class AdministrativeAuthorityAdmin(ConfigAdmin):
    """Per reason, globally or for one plan: may intake or a nurse deny for it? A medical
    director always may; a medical-necessity reason cannot be chosen."""

    list_display = ["reason", "plan", "intake_may_decide", "nurse_may_decide"]
    list_filter = ["reason", "plan"]


@admin.register(NetworkException)
class NetworkExceptionAdmin(CaseRecordAdmin):
    list_display = ["care_request", "basis", "status", "requested_at", "decided_at"]
    list_filter = ["status", "basis"]


@admin.register(AppealPolicy)
class AppealPolicyAdmin(ConfigAdmin):
    list_display = ["line_of_business", "appeal_days", "appeals_phone"]


@admin.register(AppealTurnaround)
class AppealTurnaroundAdmin(ConfigAdmin):
    list_display = ["line_of_business", "service_timing", "priority", "hours", "source"]
    list_filter = ["line_of_business", "service_timing", "priority"]


@admin.register(Letter)
class LetterAdmin(CaseRecordAdmin):
    """Read-only view of the outbox; letters change state only through the pipeline."""

    access_case_attr = "case_pk"
    list_select_related = ["determination", "care_request"]

    list_display = ["id", "template", "recipient", "language", "status", "attempts", "sent_at"]
    list_filter = ["status", "template", "recipient"]


class LineDecisionInline(ReadOnlyInline):
    model = LineDecision


@admin.register(Determination)
class DeterminationAdmin(CaseRecordAdmin):
    """Read-only: a determination is issued (and reopened) only through its services."""

    list_display = ["id", "kind", "outcome", "source", "reviewer_name", "decided_at"]
    list_filter = ["outcome", "kind", "source"]
    inlines = [LineDecisionInline]
