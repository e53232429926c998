"""Intake reads, always scoped to the user who asks (STYLE: selectors).

Each page's selector chooses its joins and prefetches so that the page costs a fixed number of
queries however many rows it shows.
"""

import re
import uuid
from datetime import date

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When

from um_portal.accounts.roles import Role

from .models import (
    CareRequest,
    CareRequestStatus,
    CaseNote,
    ChecklistItem,
    Coverage,
    Document,
    EligibilityCheck,
    InformationRequest,
    Member,
    Priority,
    Provider,
    ServiceLine,
    StatusEvent,
)

# Roles that may see the intake workspace. The manager reads; the state machine decides what
# else a manager may do.
INTAKE_READERS = (Role.INTAKE, Role.MANAGER)
# Received requests waiting on intake; drafts are still the submitter's and are not shown.
QUEUE_STATUSES = (CareRequestStatus.SUBMITTED, CareRequestStatus.PENDING_INFO)


def _may_read_intake(user) -> bool:
    return bool(user and user.is_authenticated and user.has_role(*INTAKE_READERS))


def care_request_queue_for_user(
    *, user, status: str = "", priority: str = "", channel: str = ""
) -> QuerySet[CareRequest]:
    """The intake work queue: received requests at intake stages, most urgent first
    (expedited, then the earliest due), with what each row shows already loaded."""
    if not _may_read_intake(user):
        return CareRequest.objects.none()
    statuses = [status] if status in QUEUE_STATUSES else list(QUEUE_STATUSES)
    qs = CareRequest.objects.filter(status__in=statuses)
    if priority:
        qs = qs.filter(priority=priority)
    if channel:
        qs = qs.filter(channel=channel)
    return (
        qs.select_related("member", "coverage__plan")
        .prefetch_related(
            Prefetch(
                "service_lines",
                queryset=ServiceLine.objects.only(
                    "id", "care_request_id", "sequence", "code_system", "code", "units"
                ).order_by("sequence"),
            )
        )
        .annotate(
            missing_documents=Count(
                "checklist_items",
                filter=Q(checklist_items__required=True, checklist_items__document__isnull=True),
            ),
            urgency=Case(
                When(priority=Priority.EXPEDITED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .order_by("urgency", "due_at", "received_at", "reference")
    )


def care_request_get_for_intake(*, user, pk: uuid.UUID) -> CareRequest | None:
    """One case with everything the intake case page shows, or None when the user may not see
    it (the view answers 404 so that the case's existence is not revealed)."""
    if not _may_read_intake(user):
        return None
    return (
        CareRequest.objects.select_related(
            "member",
            "coverage__plan",
            "requesting_provider",
            "servicing_provider",
            "facility",
            "provider_organization",
            "created_by",
            "assigned_to",
        )
        .prefetch_related(
            Prefetch("service_lines", queryset=ServiceLine.objects.select_related("category")),
            "diagnoses",
            Prefetch("documents", queryset=Document.objects.select_related("uploaded_by")),
            Prefetch("checklist_items", queryset=ChecklistItem.objects.select_related("document")),
            Prefetch(
                "eligibility_checks",
                queryset=EligibilityCheck.objects.select_related("checked_by"),
            ),
            Prefetch("notes", queryset=CaseNote.objects.select_related("author")),
            Prefetch(
                "information_requests",
                queryset=InformationRequest.objects.select_related("requested_by", "answered_by"),
            ),
            Prefetch("status_events", queryset=StatusEvent.objects.select_related("actor")),
        )
        .filter(pk=pk)
        .first()
    )


def care_request_get_by_reference(*, user, reference: str) -> CareRequest | None:
    """A case by its readable reference (e.g. to link a duplicate), scoped like the queue."""
    if not _may_read_intake(user):
        return None
    return CareRequest.objects.filter(reference=(reference or "").strip().upper()).first()


def document_get_for_intake(
    *, user, care_request_pk: uuid.UUID, document_pk: uuid.UUID
) -> Document | None:
    """A document of a case the user may see, or None."""
    if not _may_read_intake(user):
        return None
    return Document.objects.filter(pk=document_pk, care_request_id=care_request_pk).first()


def member_find(*, user, member_number: str, birth_date: date) -> Member | None:
    """The member holding this member ID who was born on this date (both must match, as on a
    phone call), or None."""
    if not _may_read_intake(user) or not member_number or birth_date is None:
        return None
    coverage = (
        Coverage.objects.select_related("member")
        .filter(member_number=member_number.strip().upper(), member__birth_date=birth_date)
        .first()
    )
    return coverage.member if coverage else None


MEMBER_MATCH_LIMIT = 10


def member_list_by_name(
    *, user, last_name: str, first_name: str = "", birth_date: date
) -> list[tuple[Member, str]]:
    """Members with this last name (and first name, when given, as a prefix) born on this date,
    each with the member ID of their newest coverage: a phone call rarely has the member ID."""
    last_name, first_name = (last_name or "").strip(), (first_name or "").strip()
    if not _may_read_intake(user) or not last_name or birth_date is None:
        return []
    members = Member.objects.filter(last_name__iexact=last_name, birth_date=birth_date)
    if first_name:
        members = members.filter(first_name__istartswith=first_name)
    members = members.prefetch_related(
        Prefetch("coverages", queryset=Coverage.objects.order_by("-effective_from"))
    ).order_by("last_name", "first_name", "pk")[:MEMBER_MATCH_LIMIT]
    found = []
    for member in members:
        coverages = list(member.coverages.all())
        if coverages:
            found.append((member, coverages[0].member_number))
    return found


def coverage_list_for_member(*, member: Member) -> QuerySet[Coverage]:
    """Every coverage of the member, newest first, with its plan."""
    return Coverage.objects.filter(member=member).select_related("plan").order_by("-effective_from")


_NPI_PREFIX = re.compile(r"^\d{1,10}$")


def provider_search(*, user, query: str, limit: int = 10) -> list[Provider]:
    """Providers whose NPI starts with, or whose name contains, `query`."""
    query = (query or "").strip()
    if not _may_read_intake(user) or len(query) < 2:
        return []
    if _NPI_PREFIX.match(query):
        qs = Provider.objects.filter(npi__startswith=query)
    else:
        qs = Provider.objects.filter(name__icontains=query)
    return list(qs.order_by("name")[:limit])
