"""Reads for the API and the portal, always scoped to the user who asks (STYLE: selectors).

Staff see every request (their role is the permission). A provider user sees the requests
granted to their organisation's group — `view` to read, `change` to act (django-guardian object
permissions written by intake.services.access). Anyone else sees nothing. A case outside the
scope is indistinguishable from one that does not exist, so callers answer 404 (never 403) and
its existence is not revealed.
"""

import uuid

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from intake.models import (
    CareRequest,
    CareRequestGroupObjectPermission,
    CareRequestStatus,
    CaseNote,
    Document,
    InformationRequest,
    StatusEvent,
)
from um_portal.accounts.roles import STAFF_ROLES, Role
from um_portal.lib.errors import NotFound, NotPermitted


def user_is_staff(user) -> bool:
    return bool(user.is_authenticated and user.has_role(*STAFF_ROLES))


def user_is_provider(user) -> bool:
    return bool(
        user.is_authenticated
        and user.has_role(Role.PROVIDER)
        and user.provider_organization_id is not None
    )


def care_request_scope_for_user(user, *, perm: str = "view") -> QuerySet[CareRequest]:
    """Every care request `user` may `perm` ("view" or "change"); unordered, unrelated.

    For a provider: the requests with a grant of that permission to one of the user's groups,
    as an EXISTS subquery on the direct-FK grant table. It means the same as guardian's
    get_objects_for_user(user, perm, with_superuser=False, accept_global_perms=False) for our
    group-only grants (tests/portal/test_object_permissions.py checks both agree), but with
    the group and permission ids as literals PostgreSQL can use the grants' unique index and
    stop at a full page; guardian's joins made a 100,000-case list ~5x slower
    (docs/benchmarks.md). Global permissions and superuser status never widen it.
    """
    if user_is_staff(user):
        return CareRequest.objects.all()
    if user_is_provider(user) and user.group_ids:
        grants = CareRequestGroupObjectPermission.objects.filter(
            content_object=OuterRef("pk"),
            group_id__in=user.group_ids,
            permission_id=_permission_id(user, perm),
        )
        return CareRequest.objects.filter(Exists(grants))
    return CareRequest.objects.none()


def _permission_id(user, perm: str) -> int:
    """The id of `intake.<perm>_carerequest`, read once per request (kept on the user object,
    which lives for one request; never in a module global, where a test's flush or another
    database would make it wrong)."""
    ids = user.__dict__.get("_care_request_permission_ids")
    if ids is None:
        ids = dict(
            Permission.objects.filter(
                content_type=ContentType.objects.get_for_model(CareRequest),
                codename__in=[f"{p}_carerequest" for p in ("view", "change")],
            ).values_list("codename", "pk")
        )
        user.__dict__["_care_request_permission_ids"] = ids
    return ids[f"{perm}_carerequest"]


def care_request_visible_to(user, care_request_id) -> bool:
    """Whether `user` may see the request (for pages that reach a case through another row)."""
    return care_request_scope_for_user(user).filter(pk=care_request_id).exists()


def care_request_list_for_user(user, *, filters: dict | None = None) -> QuerySet[CareRequest]:
    """Requests for lists: newest first, with what a row shows loaded in the same query."""
    filters = filters or {}
    qs = care_request_scope_for_user(user).select_related(
        "member", "coverage__plan", "requesting_provider", "servicing_provider"
    )
    if filters.get("status"):
        qs = qs.filter(status__in=filters["status"])
    if filters.get("priority"):
        qs = qs.filter(priority=filters["priority"])
    if filters.get("channel"):
        qs = qs.filter(channel=filters["channel"])
    if filters.get("external_id"):
        qs = qs.filter(external_id=filters["external_id"])
    if filters.get("reference"):
        qs = qs.filter(reference=filters["reference"].strip().upper())
    if filters.get("member_id"):
        qs = qs.filter(coverage__member_number=filters["member_id"])
    if filters.get("search"):
        # What a provider's office has at hand: our reference, the member ID or a last name.
        term = filters["search"].strip()
        qs = qs.filter(
            Q(reference=term.upper())
            | Q(coverage__member_number__iexact=term)
            | Q(member__last_name__iexact=term)
            | Q(auth_number=term.upper())
        )
    if filters.get("received_after"):
        qs = qs.filter(received_at__date__gte=filters["received_after"])
    if filters.get("received_before"):
        qs = qs.filter(received_at__date__lte=filters["received_before"])
    return qs.order_by("-created_at", "-id")


def care_request_get_for_user(user, care_request_id, *, perm: str = "view") -> CareRequest:
    """One request the user may `perm`, with its lines and diagnoses.

    NotFound when the user may not see it; NotPermitted when they may see it but not act on it
    (asked with perm="change").
    """
    try:
        pk = uuid.UUID(str(care_request_id))
    except ValueError as exc:
        raise NotFound("Not found.") from exc
    qs = care_request_scope_for_user(user, perm=perm).select_related(
        "member",
        "coverage__plan",
        "requesting_provider",
        "servicing_provider",
        "facility",
        "provider_organization",
    )
    qs = qs.prefetch_related("service_lines", "diagnoses")
    care_request = qs.filter(pk=pk).first()
    if care_request is None:
        if perm != "view" and care_request_visible_to(user, pk):
            raise NotPermitted("Your organisation may see this request but not change it.")
        raise NotFound("Not found.")
    return care_request


def case_notes_for_user(user, care_request: CareRequest) -> QuerySet[CaseNote]:
    """Notes of a case: providers never see internal notes."""
    qs = CaseNote.objects.filter(care_request=care_request).select_related("author")
    if not user_is_staff(user):
        qs = qs.filter(visibility=CaseNote.Visibility.PROVIDER)
    return qs.order_by("created_at", "id")


def documents_for_case(care_request: CareRequest) -> QuerySet[Document]:
    return Document.objects.filter(care_request=care_request).order_by("uploaded_at", "id")


def document_get_for_user(user, care_request_id, document_id) -> Document:
    care_request = care_request_get_for_user(user, care_request_id)
    try:
        pk = uuid.UUID(str(document_id))
    except ValueError as exc:
        raise NotFound("Not found.") from exc
    document = documents_for_case(care_request).filter(pk=pk).first()
    if document is None:
        raise NotFound("Not found.")
    return document


def information_requests_for_case(care_request: CareRequest) -> QuerySet[InformationRequest]:
    return InformationRequest.objects.filter(care_request=care_request).order_by(
        "-requested_at", "-id"
    )


def status_timeline_for_case(care_request: CareRequest) -> list[dict]:
    """The case's status changes, oldest first, as a provider may see them: the status and
    when, without the staff member's name or internal note."""
    return [
        {"status": to_status, "label": CareRequestStatus(to_status).label, "at": at}
        for to_status, at in StatusEvent.objects.filter(care_request=care_request)
        .order_by("at", "id")
        .values_list("to_status", "at")
    ]


def care_request_with_related(qs: QuerySet[CareRequest]) -> QuerySet[CareRequest]:
    """Add lines and diagnoses to a list query (two queries however many rows)."""
    return qs.prefetch_related(
        Prefetch("service_lines"),
        Prefetch("diagnoses"),
    )
