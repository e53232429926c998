"""Scheduling reads, scoped to the user who asks (STYLE: selectors)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404

from intake.apis.selectors import care_request_scope_for_user, care_request_visible_to
from intake.models import CareRequest, CareRequestStatus, StatusEvent
from intake.models.care_request import is_case_provider
from um_portal.accounts.models import User
from um_portal.accounts.roles import Role
from um_portal.audit.models import AuditEvent

from .business_days import one_business_day_after
from .models import ACTIVE_P2P_STATUSES, SLOT_TAKEN_STATUSES, Holiday, P2POffer, PeerToPeer, Slot

DENIAL_STATUSES = (CareRequestStatus.DENIED, CareRequestStatus.PARTIALLY_APPROVED)
STAFF_P2P_ROLES = (Role.NURSE, Role.DIRECTOR)


def business_zone() -> ZoneInfo:
    """Business days are counted on the plan's clock (settings.TIME_ZONE)."""
    return ZoneInfo(settings.TIME_ZONE)


def holiday_dates(*, start: date, days: int = 40) -> set[date]:
    return set(
        Holiday.objects.filter(date__gte=start, date__lte=start + timedelta(days=days)).values_list(
            "date", flat=True
        )
    )


def offer_deadline(*, now: datetime) -> datetime:
    """One business day after `now` (weekends and Holiday rows skipped)."""
    tz = business_zone()
    holidays = holiday_dates(start=now.astimezone(tz).date() - timedelta(days=1))
    return one_business_day_after(now, tz, holidays)


def min_notice() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "P2P_MIN_NOTICE_MINUTES", 30)))


def call_tolerance() -> timedelta:
    """How far a recorded call may start before its slot or end after it: calls start a little
    early or run over, but a record far outside its slot is a typing error or another call."""
    return timedelta(minutes=int(getattr(settings, "P2P_CALL_TOLERANCE_MINUTES", 15)))


def free_slots(*, now: datetime, until: datetime | None = None, director=None) -> QuerySet[Slot]:
    """Bookable slots: not withdrawn, not taken (booked, or its call recorded), far enough
    ahead, by start time."""
    qs = (
        Slot.objects.filter(
            is_withdrawn=False, starts_at__gte=now + min_notice(), director__is_active=True
        )
        .exclude(
            Exists(PeerToPeer.objects.filter(slot=OuterRef("pk"), status__in=SLOT_TAKEN_STATUSES))
        )
        .select_related("director")
        .order_by("starts_at", "director__last_name")
    )
    if until is not None:
        qs = qs.filter(starts_at__lt=until)
    if director is not None:
        qs = qs.filter(director=director)
    return qs


def case_for_staff(*, user: User, case_id) -> CareRequest:
    """A case for the P2P pages of nurses and directors (who see every case)."""
    if not user.has_role(*STAFF_P2P_ROLES):
        raise Http404
    try:
        return CareRequest.objects.select_related("queue", "provider_organization").get(pk=case_id)
    except CareRequest.DoesNotExist as exc:
        raise Http404 from exc


def case_for_provider(*, user: User, case_id) -> CareRequest:
    """A case granted to the provider user's organisation (`change`: asking for a call acts on
    the case) and requested by it; any other answers 404 (never 403)."""
    case = (
        care_request_scope_for_user(user, perm="change")
        .select_related("provider_organization")
        .filter(pk=case_id)
        .first()
    )
    if case is None or not is_case_provider(case, user):
        raise Http404
    return case


def p2p_for_provider(*, user: User, case_id, p2p_id) -> PeerToPeer:
    """A peer-to-peer of a case found through `case_for_provider` (so another organisation's, or
    one without the `change` grant, answers 404), with its slot and director."""
    case = case_for_provider(user=user, case_id=case_id)
    p2p = (
        PeerToPeer.objects.filter(care_request=case, pk=p2p_id)
        .select_related("slot__director")
        .first()
    )
    if p2p is None:
        raise Http404
    p2p.care_request = case
    return p2p


def p2p_active_for_case(*, case: CareRequest) -> PeerToPeer | None:
    """The case's standing booking (requested or scheduled) with its slot and director, in one
    query. `case` must already be one the asking user may see."""
    return (
        PeerToPeer.objects.filter(care_request=case, status__in=ACTIVE_P2P_STATUSES)
        .select_related("slot__director")
        .first()
    )


def p2p_provider_may_change(p2p: PeerToPeer, *, now: datetime) -> bool:
    """Whether the case's provider may still cancel or move this booking: it stands and its call
    has not started. The booking services enforce it; the portal uses it to offer the buttons."""
    return p2p.is_active and p2p.slot is not None and p2p.slot.starts_at > now


def p2p_get_for_user(*, user: User, p2p_id) -> PeerToPeer:
    """A peer-to-peer the user may see: staff see all, a provider only their organisation's."""
    try:
        p2p = PeerToPeer.objects.select_related(
            "care_request", "slot__director", "requested_by", "recorded_by"
        ).get(pk=p2p_id)
    except PeerToPeer.DoesNotExist as exc:
        raise Http404 from exc
    if user.has_role(*STAFF_P2P_ROLES):
        return p2p
    if is_case_provider(p2p.care_request, user) and care_request_visible_to(
        user, p2p.care_request_id
    ):
        return p2p
    raise Http404


def denial_at(case: CareRequest) -> datetime | None:
    """When the case was last denied (fully or partly), from its status history."""
    event = (
        StatusEvent.objects.filter(care_request=case, to_status__in=DENIAL_STATUSES)
        .order_by("-at")
        .first()
    )
    return event.at if event else None


def request_window_days() -> int:
    return int(getattr(settings, "P2P_REQUEST_WINDOW_DAYS", 14))


@dataclass
class CaseP2P:
    """What the case view shows about peer-to-peer: the offer, the booking, past calls."""

    case: CareRequest
    eligible: bool
    active: PeerToPeer | None
    past: list[PeerToPeer]
    offer: P2POffer | None
    earliest_free: Slot | None
    deadline: datetime | None
    events: list[AuditEvent]

    @property
    def earliest_in_time(self) -> bool:
        return bool(
            self.earliest_free and self.deadline and self.earliest_free.starts_at <= self.deadline
        )


def p2p_case_summary(*, case: CareRequest, now: datetime) -> CaseP2P:
    """The P2P panel of a case in a fixed number of queries (five when the case is eligible)."""
    calls = list(
        PeerToPeer.objects.filter(care_request=case)
        .select_related("slot__director", "reopening_determination")
        .order_by("-requested_at")
    )
    active = next((p for p in calls if p.is_active), None)
    eligible = case.status in DENIAL_STATUSES
    earliest, deadline = None, None
    if eligible and active is None:
        deadline = offer_deadline(now=now)
        earliest = free_slots(now=now).first()
    offer = P2POffer.objects.filter(care_request=case).first()
    events = list(
        AuditEvent.objects.filter(case_id=case.pk, action__startswith="p2p.")
        .select_related("actor")
        .order_by("at")
    )
    return CaseP2P(
        case=case,
        eligible=eligible,
        active=active,
        past=[p for p in calls if not p.is_active],
        offer=offer,
        earliest_free=earliest,
        deadline=deadline,
        events=events,
    )


def director_week(*, director: User, week_start_utc: datetime, week_end_utc: datetime):
    """A director's slots in a week with their standing bookings (two queries)."""
    bookings = PeerToPeer.objects.filter(status__in=SLOT_TAKEN_STATUSES)
    return list(
        Slot.objects.filter(
            director=director, starts_at__gte=week_start_utc, starts_at__lt=week_end_utc
        )
        .prefetch_related(
            Prefetch(
                "bookings",
                queryset=bookings.select_related("care_request"),
                to_attr="standing_bookings",
            )
        )
        .order_by("starts_at")
    )


def directors() -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, groups__name=Role.DIRECTOR)
        .distinct()
        .order_by("last_name", "first_name")
    )
