"""What staff do with a letter the pipeline gave up on (status `failed`): send it again, or record
that it did go out. See determinations/README.md, "Delivery guarantee".

A failed letter is one of three kinds, told apart by `last_error`:
- *unconfirmed*: the worker stopped between handing the e-mail to the mail server and recording
  it. It may have gone out; only the mail log can say. Staff either confirm it was delivered or
  confirm it was not and resend — never a blind resend (a legal notice must not go twice).
- *refused by the letter check*: a required section is missing. Sending it again changes nothing
  until the decision is corrected; the page says so and offers no resend.
- *Spanish wording missing* (issue 18): a Spanish member letter was refused only because a
  service, criterion or template part has no Spanish yet. Once someone adds it in the admin,
  sending again renders the letter anew and passes; the page says what to translate.
- anything else (attempts exhausted: the mail server or renderer kept failing): resend.
"""

from django.db import transaction
from django.utils import timezone

from um_portal.audit.services import audit_event
from um_portal.lib.errors import InvalidTransition, ValidationFailed

from ..models import Letter
from .english_text import SPANISH_MISSING
from .outbox import UNCONFIRMED_PREFIX, letters_enqueue

S = Letter.Status
CHECK_REFUSED_PREFIX = "Letter check failed"  # LetterIncomplete's message
# The letter check lists the Spanish problems last, so a message whose first problem is one
# of them was refused for Spanish wording alone.
SPANISH_REFUSED_PREFIX = f"{CHECK_REFUSED_PREFIX}; missing or empty: {SPANISH_MISSING}"


def letter_problem(letter: Letter) -> str:
    """`unconfirmed`, `spanish`, `incomplete` or `failed`: what kind of failure this is."""
    if letter.last_error.startswith(UNCONFIRMED_PREFIX):
        return "unconfirmed"
    if letter.last_error.startswith(SPANISH_REFUSED_PREFIX):
        return "spanish"
    if letter.last_error.startswith(CHECK_REFUSED_PREFIX):
        return "incomplete"
    return "failed"


def _locked_failed(letter: Letter) -> Letter:
    locked = (
        Letter.objects.select_for_update(of=("self",))
        .select_related("determination__care_request", "care_request")
        .get(pk=letter.pk)
    )
    if locked.status != S.FAILED:
        raise InvalidTransition(
            f"This letter is {locked.get_status_display().lower()}, not failed: nothing to do."
        )
    return locked


@transaction.atomic
def letter_resend(*, letter: Letter, actor, checked_mail_log: bool = False) -> Letter:
    """Put a failed letter back into the pipeline with fresh attempts: from `rendered` when its
    PDF exists (the same document goes out), else from `pending`. An unconfirmed letter needs
    `checked_mail_log=True`: the person says the mail log shows it did not go out."""
    locked = _locked_failed(letter)
    problem = letter_problem(locked)
    if problem == "incomplete":
        raise InvalidTransition(
            "The letter check refused this letter; sending it again would fail the same way. "
            "The decision must be corrected (reopened) first."
        )
    if problem == "unconfirmed" and not checked_mail_log:
        raise ValidationFailed(
            "Check the mail log first.",
            field_errors={
                "checked_mail_log": [
                    "Confirm that the mail log shows this letter did not go out; otherwise "
                    "record it as delivered."
                ]
            },
        )
    restart = S.RENDERED if locked.is_downloadable else S.PENDING
    Letter.objects.filter(pk=locked.pk, status=S.FAILED).update(
        status=restart, attempts=0, claimed_at=None, last_error=""
    )
    audit_event(
        actor=actor,
        action="letter.resent",
        case_id=locked.case_pk,
        summary=f"{locked} sent again"
        + (" after checking the mail log." if problem == "unconfirmed" else "."),
        data={"letter": str(locked.pk), "was": locked.last_error[:200]},
    )
    ids = [str(locked.pk)]
    transaction.on_commit(lambda: letters_enqueue(ids), robust=True)
    locked.refresh_from_db()
    return locked


@transaction.atomic
def letter_confirm_delivered(*, letter: Letter, actor, evidence: str) -> Letter:
    """Record that an unconfirmed letter did go out (the mail log shows it), with what shows it."""
    locked = _locked_failed(letter)
    if letter_problem(locked) != "unconfirmed":
        raise InvalidTransition("Only a letter whose delivery is unconfirmed can be confirmed.")
    evidence = (evidence or "").strip()
    if len(evidence) < 5:
        raise ValidationFailed(
            "Say what shows it was delivered.",
            field_errors={"evidence": ["For example the mail log's message ID and time."]},
        )
    now = timezone.now()
    # The mail log proves the e-mail went out, though not exactly when: the confirmation time is
    # the conservative delivery time for the timeliness report.
    Letter.objects.filter(pk=locked.pk, status=S.FAILED).update(
        status=S.SENT,
        sent_at=now,
        delivered_at=now,
        delivery_recorded_at=now,
        last_error=f"Delivery confirmed by staff: {evidence}"[:300],
    )
    audit_event(
        actor=actor,
        action="letter.delivery_confirmed",
        case_id=locked.case_pk,
        summary=f"{locked} confirmed delivered: {evidence}"[:300],
        data={"letter": str(locked.pk)},
    )
    locked.refresh_from_db()
    return locked
