"""Duplicate detection (DESIGN §4): the same member and service with overlapping dates on another
open or approved request."""

from django.db.models import Q
from django.utils import timezone

from ..models import CareRequest, CareRequestStatus, DuplicateFlag, ServiceLine

S = CareRequestStatus
# A draft has not been received yet; every other open state, and an approval, can collide.
DUPLICATE_STATUSES = (S.SUBMITTED, S.PENDING_INFO, S.NURSE_REVIEW, S.MD_REVIEW, S.APPROVED)


def duplicate_lines(case: CareRequest, lines: list[ServiceLine]):
    """Other cases' service lines that duplicate one of `lines` (one query)."""
    overlap = Q()
    for line in lines:
        overlap |= Q(
            code_system=line.code_system,
            code=line.code,
            start_date__lte=line.end_date,
            end_date__gte=line.start_date,
        )
    if not lines:
        return ServiceLine.objects.none()
    return (
        ServiceLine.objects.filter(overlap)
        .filter(
            care_request__member_id=case.member_id,
            care_request__status__in=DUPLICATE_STATUSES,
        )
        .exclude(care_request_id=case.pk)
        .select_related("care_request")
        .order_by("care_request__received_at", "sequence")
    )


def duplicates_flag(*, care_request: CareRequest, lines: list[ServiceLine]) -> list[DuplicateFlag]:
    """Record a flag per other case that duplicates this one; return the flags (idempotent)."""
    now = timezone.now()
    flags: dict = {}
    for other_line in duplicate_lines(care_request, lines):
        if other_line.care_request_id in flags:
            continue
        flag, _ = DuplicateFlag.objects.get_or_create(
            care_request=care_request,
            other=other_line.care_request,
            defaults={
                "code_system": other_line.code_system,
                "code": other_line.code,
                "detected_at": now,
            },
        )
        flags[other_line.care_request_id] = flag
    return list(flags.values())
