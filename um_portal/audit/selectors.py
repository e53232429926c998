import uuid

from django.db.models import QuerySet

from .models import AccessLog, AuditEvent


def audit_event_list_for_case(*, case_id: uuid.UUID) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(case_id=case_id).select_related("actor").order_by("at")


def access_log_list_for_case(*, case_id: uuid.UUID) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(case_id=case_id).select_related("user")
