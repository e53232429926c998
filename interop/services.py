"""Recording what the Patient Access API sent: the access log (who, which member, which
cases) and the yearly count CMS asks for."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from um_portal.audit.models import AccessLog
from um_portal.audit.services import audit_access_many

from .models import PatientAccessTransfer


@transaction.atomic
def patient_access_record(*, grant, resource_type: str, case_ids=(), count: int) -> None:
    audit_access_many(
        user=grant.user,
        action=f"patient_access_{resource_type.lower()}",
        channel=AccessLog.Channel.FHIR,
        case_ids=case_ids,
        member_ids=[grant.member_id],
    )
    row, _ = PatientAccessTransfer.objects.get_or_create(
        application=grant.application, member_id=grant.member_id, day=timezone.localdate()
    )
    PatientAccessTransfer.objects.filter(pk=row.pk).update(
        calls=F("calls") + 1, resources=F("resources") + count
    )
