"""The accounting of disclosures (45 CFR 164.528): who saw which member's data, when, through
which channel, read from the access log."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import UUID

from django.db.models import Q, QuerySet
from django.utils import timezone

from intake.models import CareRequest, Member
from um_portal.audit.models import AccessLog

CHUNK = 2000


@dataclass(frozen=True)
class AccessFilters:
    member_number: str = ""
    username: str = ""
    start: date | None = None
    end: date | None = None
    channel: str = ""


@dataclass(frozen=True)
class AccessRow:
    at: datetime
    user: str
    channel: str
    action: str
    case_id: UUID | None
    reference: str
    member_id: UUID | None
    member: str


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def access_log_list(filters: AccessFilters) -> QuerySet[AccessLog]:
    """Access-log rows matching the filters, newest first. A member's rows are the reads of the
    member itself and of every case about them."""
    qs = AccessLog.objects.select_related("user").order_by("-at", "-id")
    if filters.member_number:
        members = Member.objects.filter(
            coverages__member_number__iexact=filters.member_number
        ).values("pk")
        cases = CareRequest.objects.filter(member__in=members).values("pk")
        qs = qs.filter(Q(member_id__in=members) | Q(case_id__in=cases))
    if filters.username:
        qs = qs.filter(user__username__iexact=filters.username)
    if filters.start:
        qs = qs.filter(at__gte=_day_start(filters.start))
    if filters.end:
        qs = qs.filter(at__lt=_day_start(filters.end + timedelta(days=1)))
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    return qs


def access_rows(logs: Iterable[AccessLog]) -> list[AccessRow]:
    """The rows with their case reference and member name: two queries for any number."""
    logs = list(logs)
    cases = {
        c.pk: c
        for c in CareRequest.objects.filter(
            pk__in={log.case_id for log in logs if log.case_id}
        ).select_related("member")
    }
    members = {
        m.pk: m
        for m in Member.objects.filter(pk__in={log.member_id for log in logs if log.member_id})
    }
    rows = []
    for log in logs:
        case = cases.get(log.case_id)
        member = case.member if case else members.get(log.member_id)
        rows.append(
            AccessRow(
                at=log.at,
                user=log.user.username,
                channel=log.get_channel_display() or "—",
                action=log.action,
                case_id=log.case_id,
                reference=case.reference if case else "",
                member_id=member.pk if member else None,
                member=f"{member.last_name}, {member.first_name}" if member else "",
            )
        )
    return rows


def access_rows_all(filters: AccessFilters) -> Iterator[AccessRow]:
    """Every matching row for the CSV, read in chunks (fixed queries per chunk)."""
    chunk: list[AccessLog] = []
    for log in access_log_list(filters).iterator(chunk_size=CHUNK):
        chunk.append(log)
        if len(chunk) == CHUNK:
            yield from access_rows(chunk)
            chunk = []
    if chunk:
        yield from access_rows(chunk)
