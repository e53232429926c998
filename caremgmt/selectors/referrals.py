"""Reads for referrals. Every list chooses its joins so a page costs a fixed number of queries."""

from django.db.models import QuerySet

from um_portal.audit.models import AuditEvent
from um_portal.lib.errors import NotFound

from ..models import Referral
from ..models.referrals import OPEN_STATUSES, ReferralStatus

QUEUE_FILTERS = {"open": OPEN_STATUSES, "all": tuple(ReferralStatus.values)} | {
    s.value: (s.value,) for s in ReferralStatus
}


def _with_relations(qs: QuerySet) -> QuerySet:
    return qs.select_related("member", "rule", "owner", "care_request", "created_by")


def referral_queue(*, show: str = "open") -> list[Referral]:
    """The care-management queue: new first, then oldest first (a member waiting longest)."""
    statuses = QUEUE_FILTERS.get(show, OPEN_STATUSES)
    rows = _with_relations(Referral.objects.filter(status__in=statuses)).order_by("created_at")
    return sorted(rows, key=lambda r: r.status != ReferralStatus.NEW)


def referral_get(*, referral_id) -> Referral:
    referral = _with_relations(Referral.objects.filter(pk=referral_id)).first()
    if referral is None:
        raise NotFound("No such referral.")
    return referral


def referral_history(*, referral: Referral) -> list[AuditEvent]:
    """The referral's audited steps, oldest first."""
    return list(
        AuditEvent.objects.filter(data__referral=str(referral.pk))
        .select_related("actor")
        .order_by("at", "pk")
    )


def referrals_for_member(*, member_id) -> list[Referral]:
    """The member's referrals for the 360° case view: one query however many."""
    return list(
        Referral.objects.filter(member_id=member_id)
        .select_related("rule", "owner")
        .order_by("-created_at")
    )
