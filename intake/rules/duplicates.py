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
    return duplicate_lines_for_member(member_id=case.member_id, lines=lines, exclude_case=case.pk)


def duplicate_lines_for_member(*, member_id, lines, exclude_case=None):
    """The member's service lines on other open or approved cases that duplicate one of `lines`
    (anything with code_system, code, start_date and end_date: intake checks the lines being
    typed in, before the case exists)."""
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
            care_request__member_id=member_id,
            care_request__status__in=DUPLICATE_STATUSES,
        )
        .exclude(care_request_id=exclude_case)
        .select_related("care_request")
        .order_by("care_request__received_at", "sequence")
    )


def duplicates_flag(*, care_request: CareRequest, lines: list[ServiceLine]) -> list[DuplicateFlag]:
    """Record a flag per other case that duplicates this one; return the flags (idempotent).

    A fixed number of queries however many earlier requests the member has: the duplicate
    lines, one insert that skips pairs already flagged, and the flags read back (an existing
    flag keeps what it first recorded, as it always has)."""
    first_lines: dict = {}
    for other_line in duplicate_lines(care_request, lines):
        first_lines.setdefault(other_line.care_request_id, other_line)
    if not first_lines:
        return []
    now = timezone.now()
    DuplicateFlag.objects.bulk_create(
        [
            DuplicateFlag(
                care_request=care_request,
                other=other_line.care_request,
                code_system=other_line.code_system,
                code=other_line.code,
                detected_at=now,
            )
            for other_line in first_lines.values()
        ],
        # The unique pair (duplicate_flag_once): a flag recorded earlier, or by a concurrent
        # evaluation of the same case, is kept as it is.
        ignore_conflicts=True,
    )
    flags = {
        flag.other_id: flag
        for flag in DuplicateFlag.objects.filter(
            care_request=care_request, other_id__in=first_lines
        ).select_related("other")
    }
    # In the order the duplicates were found (earliest received first).
    return [flags[other_id] for other_id in first_lines if other_id in flags]
