"""Claiming an inbox item for review: one specialist per item, like "get next case"."""

from django.db import connection, transaction
from django.db.models import Case, Value, When
from django.utils import timezone

from um_portal.accounts.roles import Role
from um_portal.audit.services import audit_event
from um_portal.lib.errors import InvalidTransition, NotPermitted

from ..models import InboundDocument

S = InboundDocument.Status
# A read item is confirmed; one that could not be read ("needs manual entry") is typed in from
# its page images on the same review screen: both are claimed the same way.
CLAIMABLE = (S.READ, S.FAILED)
# Without SKIP LOCKED (SQLite) a claim can lose to another specialist; try the next item then.
MAX_CLAIM_ATTEMPTS = 5


def _check_role(actor) -> None:
    if actor is None or not actor.has_role(Role.INTAKE):
        raise NotPermitted("Only intake specialists review inbox items.")


def _claimed(document_id, actor) -> bool:
    # The status lives in a protected FSM field; the claim is one conditional UPDATE so that two
    # specialists pressing at once cannot both win (the loser's UPDATE matches no row).
    return (
        InboundDocument.objects.filter(
            pk=document_id, status__in=CLAIMABLE, claimed_by__isnull=True
        ).update(status=S.CLAIMED, claimed_by=actor, claimed_at=timezone.now())
        == 1
    )


def _audit(actor, document_id, how: str) -> None:
    audit_event(
        actor=actor,
        action="inbox.claimed",
        summary=f"Inbound document claimed by {actor.display_name} ({how}).",
        data={"inbound_document": str(document_id), "how": how},
    )


@transaction.atomic
def inbound_document_claim(*, document: InboundDocument, actor) -> InboundDocument:
    """Take this item (read, or failed to be typed in by hand); InvalidTransition if someone else
    has it or it is still being read. Taking an item one already holds is a no-op."""
    _check_role(actor)
    if document.status == S.CLAIMED and document.claimed_by_id == actor.pk:
        return document
    if not _claimed(document.pk, actor):
        current = InboundDocument.objects.select_related("claimed_by").get(pk=document.pk)
        if current.status == S.CLAIMED and current.claimed_by_id == actor.pk:
            return current
        if current.status == S.CLAIMED:
            raise InvalidTransition(f"{current.claimed_by.display_name} is already working on it.")
        raise InvalidTransition(f"This item is {current.get_status_display().lower()}.")
    _audit(actor, document.pk, "opened")
    return InboundDocument.objects.get(pk=document.pk)


@transaction.atomic
def inbound_document_claim_next(*, actor) -> InboundDocument | None:
    """The oldest read item nobody holds, claimed for `actor`; None when there is none.

    On PostgreSQL the candidate is locked with SKIP LOCKED, so a second specialist's query passes
    over it; the conditional UPDATE is what guarantees one winner on every database."""
    _check_role(actor)
    candidates = InboundDocument.objects.filter(status=S.READ, claimed_by__isnull=True).order_by(
        "arrived_at", "pk"
    )
    if connection.features.has_select_for_update_skip_locked:
        candidates = candidates.select_for_update(skip_locked=True)
    for _ in range(MAX_CLAIM_ATTEMPTS):
        candidate = next(iter(candidates[:1]), None)
        if candidate is None:
            return None
        if _claimed(candidate.pk, actor):
            _audit(actor, candidate.pk, "get next")
            return InboundDocument.objects.get(pk=candidate.pk)
    return None


@transaction.atomic
def inbound_document_release(*, document: InboundDocument, actor) -> InboundDocument:
    """Give the item back to the inbox (only its holder may), as it was: read, or failed (an item
    that could not be read keeps its reason)."""
    _check_role(actor)
    released = InboundDocument.objects.filter(
        pk=document.pk, status=S.CLAIMED, claimed_by=actor
    ).update(
        status=Case(When(failure_reason="", then=Value(S.READ)), default=Value(S.FAILED)),
        claimed_by=None,
        claimed_at=None,
    )
    if released != 1:
        raise InvalidTransition("You are not working on this item.")
    audit_event(
        actor=actor,
        action="inbox.released",
        summary="Inbound document released to the inbox.",
        data={"inbound_document": str(document.pk)},
    )
    return InboundDocument.objects.get(pk=document.pk)
