"""Mail room reads. Only the UM manager runs the mail room's page; the letters attention page's
users (manager and intake) see its stuck letters there."""

from datetime import timedelta

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from determinations.models import Letter
from um_portal.accounts.roles import Role

from .models import MailBatch, MailPiece

MAILROOM_ROLES = (Role.MANAGER,)
ATTENTION_ROLES = (Role.MANAGER, Role.INTAKE)
# A printed letter should reach the mail house the day it is queued; after this it is late.
HANDOVER_GRACE = timedelta(days=1)


def _may(user, roles) -> bool:
    return bool(user.is_authenticated and user.has_role(*roles))


def mail_batch_list(user) -> list[MailBatch]:
    """The latest batches, newest first (one query; no member data)."""
    if not _may(user, MAILROOM_ROLES):
        return []
    return list(MailBatch.objects.select_related("handed_over_by").order_by("-batch_date")[:60])


def mail_batch_get(user, batch_id) -> MailBatch:
    if not _may(user, MAILROOM_ROLES):
        raise Http404
    batch = MailBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        raise Http404
    return batch


def mail_batch_case_ids(batch: MailBatch) -> list:
    """The cases whose letters a batch's index names (for the access log; one query)."""
    rows = MailPiece.objects.filter(batch=batch).values_list(
        "letter__determination__care_request_id", "letter__care_request_id"
    )
    return [determined or direct for determined, direct in rows]


def letters_stuck_in_mailroom(user) -> list[dict]:
    """Attention rows (determinations.selectors.attention_source_register): printed letters
    queued more than a day ago and not handed to the mail house yet, and letters the mail house
    returned or could not deliver. One query."""
    if not _may(user, ATTENTION_ROLES):
        return []
    cutoff = timezone.now() - HANDOVER_GRACE
    not_handed = Q(print_ready_at__lt=cutoff) & (
        Q(mail_piece__isnull=True) | Q(mail_piece__batch__status=MailBatch.Status.BUILT)
    )
    bounced = Q(mail_piece__status__in=[MailPiece.Status.RETURNED, MailPiece.Status.UNDELIVERABLE])
    letters = (
        Letter.objects.filter(channel=Letter.Channel.MAIL, status=Letter.Status.SENT)
        .filter(not_handed | bounced)
        .select_related(
            "mail_piece__batch",
            "determination__care_request__provider_organization",
            "care_request__provider_organization",
        )
        .order_by("print_ready_at", "pk")[:200]
    )
    rows = []
    for letter in letters:
        piece = getattr(letter, "mail_piece", None)
        if piece is not None and piece.status in MailPiece.FINAL:
            note = f"The mail house reports it {piece.get_status_display().lower()}"
            note += f": {piece.returned_reason}." if piece.returned_reason else "."
            problem = "mail_returned"
        elif piece is None:
            note = "Queued for printing over a day ago and in no mail batch yet."
            problem = "not_handed_over"
        else:
            note = f"In the {piece.batch.batch_date:%Y-%m-%d} batch, not handed to the mail house."
            problem = "not_handed_over"
        rows.append({"letter": letter, "case": letter.case, "problem": problem, "note": note})
    return rows
