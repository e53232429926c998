"""When an appeal is due: AppealTurnaround (admin data) by line of business, pre/post-service
and priority."""

from datetime import datetime, timedelta

from determinations.models import AppealTurnaround, ServiceTiming
from intake.models import CareRequest


def service_timing_for(case: CareRequest) -> str:
    """A retrospective request is about a service already given: a payment (post-service)
    appeal; anything else is pre-service."""
    if case.request_type == CareRequest.RequestType.RETROSPECTIVE:
        return ServiceTiming.POST_SERVICE
    return ServiceTiming.PRE_SERVICE


def appeal_hours(*, line_of_business: str, service_timing: str, priority: str) -> int | None:
    """Hours to decide, or None when that kind of appeal does not exist (no row)."""
    return (
        AppealTurnaround.objects.filter(
            line_of_business=line_of_business, service_timing=service_timing, priority=priority
        )
        .values_list("hours", flat=True)
        .first()
    )


def appeal_due_at(received_at: datetime, hours: int) -> datetime:
    return received_at + timedelta(hours=hours)
