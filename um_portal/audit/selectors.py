import uuid

from django.db.models import QuerySet

from .models import AuditEvent


def audit_event_list_for_case(*, case_id: uuid.UUID) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(case_id=case_id).select_related("actor").order_by("at")
