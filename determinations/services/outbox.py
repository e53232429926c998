"""The letter outbox: rows written with the decision, queued after commit, swept when stuck.

Delivery guarantee (docs in determinations/README.md): rendering is at-least-once and harmless to
repeat; the e-mail is at-most-once. A worker claims a letter with a conditional UPDATE
(rendered → sending) before it hands the message to the mail backend and marks it sent (sending →
sent, with sent_at, in one conditional UPDATE) afterwards. A worker that dies between the two
leaves the letter in `sending`; the sweeper never re-sends such a letter but marks it failed
("delivery unconfirmed") for staff to check and resend by hand. A determination letter sent twice
is a confusing legal notice; one that is late is visible on the case and in the outbox.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from intake.models import CareRequest

from ..conf import letter_setting
from ..models import Determination, Letter

log = logging.getLogger(__name__)

TEMPLATE_BY_OUTCOME = {
    Determination.Outcome.APPROVED: Letter.Template.APPROVAL,
    Determination.Outcome.PARTIALLY_APPROVED: Letter.Template.PARTIAL,
    Determination.Outcome.DENIED: Letter.Template.DENIAL,
    Determination.Outcome.NOT_REQUIRED: Letter.Template.NOT_REQUIRED,
}


# How staff (determinations.services.attention) recognise a letter that may or may not have gone.
UNCONFIRMED_PREFIX = "Delivery unconfirmed"


def letters_create(
    determination: Determination, *, template: str | None = None, appeal_id=None
) -> list[Letter]:
    """One letter per recipient (provider, member) in the deciding transaction; rendering is
    queued for after commit. The appeals app passes `template` (appeal_ack, appeal_decision)
    and the appeal's id, and supplies those letters' context (ADR 0005)."""
    if template is None:
        if determination.kind == Determination.Kind.APPEAL:
            template = Letter.Template.APPEAL_DECISION
        elif determination.administrative:
            # Benefit, eligibility or network: no medical-necessity wording, no P2P offer.
            template = Letter.Template.ADMIN_DENIAL
        else:
            template = TEMPLATE_BY_OUTCOME[determination.outcome]
    # Both recipients' details in one query (no organisation: no e-mail).
    provider_email, member_language = (
        CareRequest.objects.filter(pk=determination.care_request_id)
        .values_list("provider_organization__email", "member__preferred_language")
        .get()
    )
    letters = [
        Letter.objects.create(
            determination=determination,
            recipient=Letter.Recipient.PROVIDER,
            template=template,
            appeal_id=appeal_id,
            language="en",
            channel=Letter.Channel.EMAIL if provider_email else Letter.Channel.MAIL,
        ),
        Letter.objects.create(
            determination=determination,
            recipient=Letter.Recipient.MEMBER,
            template=template,
            appeal_id=appeal_id,
            language=member_language or "en",
            channel=Letter.Channel.MAIL,
        ),
    ]
    ids = [str(letter.pk) for letter in letters]
    # robust: a broker outage must not turn a committed decision into an error page; the
    # sweeper finds the pending rows later.
    transaction.on_commit(lambda: letters_enqueue(ids), robust=True)
    return letters


def letters_enqueue(letter_ids: list[str]) -> int:
    """Send one task per letter to the broker; returns how many were queued. Never raises: a
    letter that could not be queued stays in the outbox for the sweeper."""
    from ..tasks import letter_process

    queued = 0
    for letter_id in letter_ids:
        try:
            letter_process.apply_async(
                args=[letter_id],
                retry=True,
                retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.2},
            )
            queued += 1
        except Exception as exc:  # noqa: BLE001 - any broker failure: leave it to the sweeper
            log.warning("Letter %s not queued (%s); the sweeper will retry.", letter_id, exc)
    return queued


def letters_sweep() -> dict[str, int]:
    """Release dead workers' claims and re-queue letters not sent after a few minutes."""
    now = timezone.now()
    stale = now - timedelta(seconds=letter_setting("LETTER_CLAIM_STALE_SECONDS"))
    due = now - timedelta(seconds=letter_setting("LETTER_SWEEP_AFTER_SECONDS"))
    max_attempts = int(letter_setting("LETTER_MAX_ATTEMPTS"))
    released = Letter.objects.filter(status=Letter.Status.RENDERING, claimed_at__lt=stale).update(
        status=Letter.Status.PENDING, last_error="Rendering interrupted; retrying."
    )
    # At-most-once e-mail: a letter left `sending` may or may not have gone out. Never guess.
    unconfirmed = Letter.objects.filter(status=Letter.Status.SENDING, claimed_at__lt=stale).update(
        status=Letter.Status.FAILED,
        last_error=f"{UNCONFIRMED_PREFIX}: the worker stopped while sending. Check the mail log "
        "before resending.",
    )
    exhausted = Letter.objects.filter(
        status__in=[Letter.Status.PENDING, Letter.Status.RENDERED], attempts__gte=max_attempts
    ).update(status=Letter.Status.FAILED, last_error=F("last_error"))
    waiting = Letter.objects.filter(
        status__in=[Letter.Status.PENDING, Letter.Status.RENDERED], attempts__lt=max_attempts
    ).filter(Q(claimed_at__lt=due) | Q(claimed_at__isnull=True, created_at__lt=due))
    ids = [str(pk) for pk in waiting.values_list("pk", flat=True)[:500]]
    queued = letters_enqueue(ids)
    return {
        "released": released,
        "unconfirmed": unconfirmed,
        "exhausted": exhausted,
        "queued": queued,
    }
