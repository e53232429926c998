"""Peer-to-peer access: the share of denied cases offered a P2P slot within one business day
of the offer (URAC expects the discussion to be available that quickly). The offer, its
one-business-day deadline and whether a slot fell inside it are recorded by scheduling when the
denial is issued; this only counts them."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q

from scheduling.models import P2POffer

from ..filters import ReportFilters
from .scope import filters_q
from .volumes import percent


@dataclass(frozen=True)
class P2POfferTimeliness:
    offered: int
    within_deadline: int

    @property
    def rate(self) -> Decimal | None:
        return percent(self.within_deadline, self.offered)


def p2p_offer_timeliness(filters: ReportFilters) -> P2POfferTimeliness:
    """P2P offers made in the period (by offered_at) in the filters' scope: how many, and how
    many had a slot within one business day. One query."""
    totals = (
        P2POffer.objects.filter(
            filters_q(filters, path="care_request__", outer="care_request_id"),
            offered_at__gte=filters.start_at,
            offered_at__lt=filters.end_at,
        )
        .order_by()
        .aggregate(offered=Count("pk"), within=Count("pk", filter=Q(within_deadline=True)))
    )
    return P2POfferTimeliness(offered=totals["offered"], within_deadline=totals["within"])
