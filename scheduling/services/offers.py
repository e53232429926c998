"""Offering peer-to-peer slots to a denied case (URAC: offered and held within one business
day), and telling the queue lead — once — when no slot exists in time."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from intake.models import CareRequest
from um_portal.accounts.models import User
from um_portal.accounts.roles import Role
from um_portal.audit.services import audit_event
from um_portal.lib.tasks import enqueue_on_commit
from um_portal.lib.template_formats import when

from ..models import P2POffer, Slot
from ..selectors import free_slots, offer_deadline


def offer_horizon() -> timedelta:
    return timedelta(days=14)


@dataclass(frozen=True)
class Offer:
    slots: list[Slot]
    deadline: datetime

    @property
    def earliest(self) -> Slot | None:
        return self.slots[0] if self.slots else None

    @property
    def within_deadline(self) -> bool:
        return self.earliest is not None and self.earliest.starts_at <= self.deadline


def offer_recipients(case: CareRequest) -> list[User]:
    """Who hears that a case has no P2P slot in time: the queue lead, else the UM managers."""
    lead = case.queue.lead if case.queue_id else None
    if lead is not None and lead.is_active and lead.email:
        return [lead]
    return list(
        User.objects.filter(is_active=True, groups__name=Role.MANAGER)
        .exclude(email="")
        .distinct()
        .order_by("username")
    )


def _offer_summary(offer: Offer) -> str:
    if offer.earliest is None:
        return "Peer-to-peer offered; no slot is available."
    summary = f"Peer-to-peer offered; earliest slot {when(offer.earliest.starts_at)}."
    return summary if offer.within_deadline else summary + " None within one business day."


@transaction.atomic
def p2p_offer_slots(*, case: CareRequest, now: datetime, limit: int = 60) -> Offer:
    """The free slots to offer `case`, ordered by start, so the earliest one — within one
    business day when one exists — comes first.

    The first offer is recorded (and shown in the case history). When no slot starts within one
    business day, the queue lead is told by e-mail and an audit event, once per case: the claim
    is a conditional UPDATE, so concurrent page views and the sweeper never tell twice.
    """
    deadline = offer_deadline(now=now)
    slots = list(free_slots(now=now, until=now + offer_horizon())[:limit])
    offer = Offer(slots=slots, deadline=deadline)
    record = P2POffer.objects.filter(care_request=case).first()
    if record is None:
        try:
            with transaction.atomic():
                record = P2POffer.objects.create(
                    care_request=case,
                    offered_at=now,
                    deadline=deadline,
                    earliest_slot_at=offer.earliest.starts_at if offer.earliest else None,
                    within_deadline=offer.within_deadline,
                )
        except IntegrityError:  # another request recorded the first offer a moment ago
            record = P2POffer.objects.get(care_request=case)
        else:
            audit_event(
                actor=None,
                action="p2p.offered",
                case_id=case.pk,
                summary=_offer_summary(offer),
                data={"deadline": deadline.isoformat(), "within_deadline": offer.within_deadline},
            )
    if not offer.within_deadline:
        claimed = P2POffer.objects.filter(pk=record.pk, lead_notified_at__isnull=True).update(
            lead_notified_at=now
        )
        if claimed:
            recipients = offer_recipients(case)
            audit_event(
                actor=None,
                action="p2p.no_slot_in_time",
                case_id=case.pk,
                summary=(
                    "No peer-to-peer slot within one business day; told "
                    + (", ".join(u.display_name for u in recipients) or "nobody (no lead)")
                    + "."
                ),
                data={"deadline": deadline.isoformat(), "told": [str(u.pk) for u in recipients]},
            )
            from ..tasks import p2p_notify_no_slot

            enqueue_on_commit(p2p_notify_no_slot, str(case.pk), [str(u.pk) for u in recipients])
    return offer
