"""The worker side of the outbox: claim → render → PDF → store → deliver → mark sent.

Every step starts with a conditional UPDATE that claims the row in the state the step expects,
and ends with a conditional UPDATE that only the claimant (same claimed_at token) can make, so a
redelivered or duplicated task, or a worker the sweeper presumed dead, never repeats a step that
another worker finished. See outbox.py for the at-most-once e-mail choice.
"""

import hashlib
import logging
import time
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from .. import pdf
from ..conf import letter_setting
from ..models import Letter
from ..models.letter import letter_upload_to
from .letters import LetterIncomplete, letter_check, letter_expectations, letter_html_and_context

log = logging.getLogger(__name__)
S = Letter.Status


SUBJECTS = {
    Letter.Template.APPEAL_ACK: "Appeal acknowledgement",
    Letter.Template.APPEAL_DECISION: "Appeal decision letter",
    Letter.Template.EXTENSION: "Notice of extension",
}


class TransientLetterError(Exception):
    """Worth retrying (mail server down, disk full); the claim was released."""


def letter_process(letter_id, *, connection=None) -> str:
    """Run whatever is left of a letter's pipeline; returns the status it ends in. Idempotent:
    calling it again for a sent letter does nothing."""
    letter_render(letter_id)
    letter_deliver(letter_id, connection=connection)
    return Letter.objects.filter(pk=letter_id).values_list("status", flat=True).first() or ""


def _claim(letter_id, from_status: str, to_status: str) -> datetime | None:
    token = timezone.now()
    claimed = Letter.objects.filter(pk=letter_id, status=from_status).update(
        status=to_status, claimed_at=token, attempts=F("attempts") + 1
    )
    return token if claimed else None


def letter_render(letter_id) -> bool:
    """pending → rendering → rendered, with the PDF stored and its checksum. False when another
    worker has (or had) this step."""
    token = _claim(letter_id, S.PENDING, S.RENDERING)
    if token is None:
        return False
    letter = Letter.objects.select_related(
        "determination__care_request__member",
        "determination__care_request__coverage__plan",
        "determination__care_request__provider_organization",
        "determination__care_request__requesting_provider",
        # A notice without a determination (the extension notice) hangs on its case.
        "care_request__member",
        "care_request__coverage__plan",
        "care_request__provider_organization",
        "care_request__requesting_provider",
    ).get(pk=letter_id)
    try:
        html, context = letter_html_and_context(letter)
        letter_check(
            html,
            letter.template,
            recipient=letter.recipient,
            forbidden_codes=_codes(letter),
            expect=letter_expectations(context),
        )
        delay = letter_setting("LETTER_TEST_RENDER_DELAY")
        if delay:
            time.sleep(delay)
        data = pdf.html_to_pdf(html)
    except LetterIncomplete as exc:
        # A template or data problem, not a transient one: refuse to issue, tell a person.
        Letter.objects.filter(pk=letter_id, claimed_at=token).update(
            status=S.FAILED, last_error=str(exc)[:300]
        )
        log.error("Letter %s refused by the letter check: %s", letter_id, exc.missing)
        return False
    except Exception as exc:
        _release(letter_id, token, S.RENDERING, S.PENDING, exc)
        raise TransientLetterError(str(exc)) from exc
    name = default_storage.save(letter_upload_to(letter, "letter.pdf"), ContentFile(data))
    done = Letter.objects.filter(pk=letter_id, status=S.RENDERING, claimed_at=token).update(
        status=S.RENDERED,
        pdf=name,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        rendered_at=timezone.now(),
        last_error="",
    )
    if not done:  # the sweeper presumed us dead and someone else took over: drop our file
        default_storage.delete(name)
    return bool(done)


def letter_deliver(letter_id, *, connection=None) -> bool:
    """rendered → sending → sent: e-mail the provider copy (PDF attached), hand the member copy
    (or a provider without e-mail) to print and mail. At most once per letter."""
    token = _claim(letter_id, S.RENDERED, S.SENDING)
    if token is None:
        return False
    letter = Letter.objects.select_related(
        "determination__care_request__provider_organization",
        "care_request__provider_organization",
    ).get(pk=letter_id)
    now = timezone.now()
    if letter.channel == Letter.Channel.EMAIL:
        try:
            _email(letter, connection)
        except Exception as exc:
            # The backend raised before accepting the message: nothing went out, retry is safe.
            _release(letter_id, token, S.SENDING, S.RENDERED, exc)
            raise TransientLetterError(str(exc)) from exc
        extra = {"delivered_at": now, "delivery_recorded_at": now}
    else:
        # Print and mail: the copy is queued for the mail room (the PDF is the print file). It
        # is delivered only when the mail house's return file says it was mailed (mailroom).
        extra = {"print_ready_at": now}
    sent = Letter.objects.filter(pk=letter_id, status=S.SENDING, claimed_at=token).update(
        status=S.SENT, sent_at=now, last_error="", **extra
    )
    return bool(sent)


def _email(letter: Letter, connection) -> None:
    case = letter.case
    context = {"reference": case.reference, "letter": letter}
    message = EmailMessage(
        # No PHI in subjects (STYLE: privacy): the reference number only.
        subject=f"{SUBJECTS.get(letter.template, 'Determination letter')} for request "
        f"{case.reference}",
        body=render_to_string("emails/letter_provider.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[case.provider_organization.email],
        headers={"Message-ID": f"<letter-{letter.pk}@um-portal.invalid>"},
        connection=connection,
    )
    with letter.pdf.open("rb") as fh:
        kind = "notice" if letter.template == Letter.Template.EXTENSION else "determination"
        message.attach(f"{kind}-{case.reference}.pdf", fh.read(), "application/pdf")
    message.send(fail_silently=False)


def _release(letter_id, token, from_status: str, to_status: str, exc: Exception) -> None:
    Letter.objects.filter(pk=letter_id, status=from_status, claimed_at=token).update(
        status=to_status, last_error=f"{type(exc).__name__}: {exc}"[:300]
    )


def _codes(letter: Letter) -> list[str]:
    if letter.recipient != Letter.Recipient.MEMBER:
        return []
    return list(letter.case.service_lines.values_list("code", flat=True))
