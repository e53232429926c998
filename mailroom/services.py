"""Mail room writes: build the day's batch, hand it over, import the mail house's return file.

A printed letter is `sent` when it joins the print queue (determinations.delivery); it is
*delivered* (Letter.delivered_at, what the NCQA timeliness report counts) only when the return
file says it was mailed.
"""

import csv
import io
import logging
import uuid
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from determinations.models import Letter
from um_portal.audit.services import audit_event
from um_portal.lib.errors import ValidationFailed

from . import sftp
from .models import MailBatch, MailPiece

log = logging.getLogger(__name__)

INDEX_COLUMNS = [
    "sequence",
    "letter_id",
    "recipient",
    "address_line",
    "city",
    "state",
    "postal_code",
    "first_page",
    "pages",
    "imb",
]
RETURN_COLUMNS = ("letter_id", "status", "date")
MAX_RETURN_BYTES = 5 * 1024 * 1024


def _letters_to_print():
    """Printed letters queued by the pipeline (sent, with their PDF) and in no batch yet."""
    return (
        Letter.objects.filter(
            channel=Letter.Channel.MAIL,
            status=Letter.Status.SENT,
            mail_piece__isnull=True,
        )
        .exclude(pdf="")
        .select_related(
            "determination__care_request__member",
            "determination__care_request__provider_organization",
            "determination__care_request__requesting_provider",
            "care_request__member",
            "care_request__provider_organization",
            "care_request__requesting_provider",
        )
        .order_by("print_ready_at", "created_at", "pk")
    )


def _recipient(letter: Letter) -> dict[str, str]:
    case = letter.case
    if letter.recipient == Letter.Recipient.MEMBER:
        m = case.member
        return {
            "recipient": m.full_name,
            "address_line": m.address_line,
            "city": m.city,
            "state": m.state,
            "postal_code": m.postal_code,
        }
    # A provider office without e-mail: we hold no street address for it (intake does not
    # collect one), so the mail house addresses it from its own provider file by name and state.
    office = case.provider_organization or case.requesting_provider
    return {
        "recipient": office.name if office else "",
        "address_line": "",
        "city": "",
        "state": getattr(case.requesting_provider, "state", "") or "",
        "postal_code": "",
    }


def imb_placeholder(batch_date: date, sequence: int) -> str:
    return f"IMB-PENDING-{batch_date:%Y%m%d}-{sequence:05d}"


@transaction.atomic
def mail_batch_build(*, batch_date: date | None = None, limit: int = 5000) -> MailBatch | None:
    """Build the day's batch from every printed letter not yet in one: one merged PDF and its
    index CSV. Idempotent: the day's batch is returned as it is when it exists; None when no
    letter waits. A letter is never in two batches (MailPiece.letter is one-to-one)."""
    batch_date = batch_date or timezone.localdate()
    existing = MailBatch.objects.filter(batch_date=batch_date).first()
    if existing is not None:
        return existing
    # Locked and skipped when locked: a concurrent builder (beat and the command) takes none of
    # the same letters; the one-to-one constraint stays the last word.
    letters = list(_letters_to_print().select_for_update(of=("self",), skip_locked=True)[:limit])
    if not letters:
        return None
    try:
        with transaction.atomic():
            batch = MailBatch.objects.create(batch_date=batch_date)
    except IntegrityError:
        return MailBatch.objects.get(batch_date=batch_date)
    writer = PdfWriter()
    out = io.StringIO()
    index = csv.writer(out)
    index.writerow(INDEX_COLUMNS)
    pieces = []
    page = 1
    for sequence, letter in enumerate(letters, start=1):
        with letter.pdf.open("rb") as fh:
            reader = PdfReader(io.BytesIO(fh.read()))
        pages = len(reader.pages)
        writer.append(reader)
        imb = imb_placeholder(batch_date, sequence)
        who = _recipient(letter)
        index.writerow(
            [
                sequence,
                str(letter.pk),
                who["recipient"],
                who["address_line"],
                who["city"],
                who["state"],
                who["postal_code"],
                page,
                pages,
                imb,
            ]
        )
        pieces.append(
            MailPiece(
                batch=batch,
                letter=letter,
                sequence=sequence,
                first_page=page,
                pages=pages,
                imb=imb,
            )
        )
        page += pages
    MailPiece.objects.bulk_create(pieces)
    merged = io.BytesIO()
    writer.write(merged)
    batch.pdf.save("letters.pdf", ContentFile(merged.getvalue()), save=False)
    batch.csv.save("index.csv", ContentFile(out.getvalue().encode()), save=False)
    batch.letter_count = len(pieces)
    batch.page_count = page - 1
    batch.save()
    audit_event(
        actor=None,
        action="mail_batch.built",
        summary=f"{batch}: {batch.letter_count} letters, {batch.page_count} pages.",
        data={"batch": str(batch.pk)},
    )
    return batch


@transaction.atomic
def mail_batch_hand_over(*, batch: MailBatch, how: str, actor=None) -> bool:
    """Record that the batch reached the mail house (downloaded, or delivered by SFTP). True
    the first time; a second download is only a copy and changes nothing."""
    now = timezone.now()
    done = MailBatch.objects.filter(pk=batch.pk, status=MailBatch.Status.BUILT).update(
        status=MailBatch.Status.HANDED_OVER,
        handed_over_at=now,
        handed_over_by=actor if actor is not None and actor.is_authenticated else None,
        handed_over_how=how,
    )
    if done:
        audit_event(
            actor=actor,
            action="mail_batch.handed_over",
            summary=f"{batch} handed to the mail house ({MailBatch.HandOver(how).label.lower()}).",
            data={"batch": str(batch.pk), "how": how},
        )
    batch.refresh_from_db()
    return bool(done)


def mail_batch_send_sftp(*, batch: MailBatch) -> bool:
    """Upload the batch's PDF and index to the mail house, then mark it handed over. The upload
    happens outside any transaction (it may take minutes); a failed one leaves the batch built
    for the next run. Uploading twice is harmless: the mail house keys on the file names."""
    if batch.status != MailBatch.Status.BUILT:
        return False
    stem = f"um-portal-{batch.batch_date:%Y%m%d}"
    with batch.pdf.open("rb") as pdf_fh, batch.csv.open("rb") as csv_fh:
        sftp.upload({f"{stem}.pdf": pdf_fh.read(), f"{stem}.csv": csv_fh.read()})
    return mail_batch_hand_over(batch=batch, how=MailBatch.HandOver.SFTP)


@dataclass(frozen=True)
class ReturnRow:
    line: int
    piece: MailPiece
    status: str
    at: datetime
    reason: str


def _parse_date(value: str) -> datetime | None:
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if len(value) == 10:
        # A date alone: the end of that day, so a letter mailed on the due date never counts
        # as on time for a deadline earlier that day.
        return timezone.make_aware(datetime.combine(parsed.date(), time(23, 59, 59)))
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _decode(data: bytes) -> str:
    if len(data) > MAX_RETURN_BYTES:
        raise ValidationFailed(
            "The return file is too large.",
            field_errors={"file": [f"At most {MAX_RETURN_BYTES // (1024 * 1024)} MB."]},
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed(
            "The return file is not a UTF-8 CSV file.",
            field_errors={"file": ["Save it as CSV (UTF-8) and try again."]},
        ) from None


def _check_rows(text: str) -> tuple[list[ReturnRow], list[str]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in RETURN_COLUMNS if c not in header]
    if missing:
        return [], [f"The header lacks the column(s): {', '.join(missing)}."]
    reader.fieldnames = header
    raw = []
    errors: list[str] = []
    try:
        for row in reader:
            raw.append((reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}))
    except csv.Error as exc:
        return [], [f"Line {reader.line_num}: not readable as CSV ({exc})."]
    if not raw:
        return [], ["The file has no rows."]
    ids = {}
    for line, row in raw:
        try:
            ids[line] = uuid.UUID(row["letter_id"])
        except ValueError:
            errors.append(f"Line {line}: '{row['letter_id'][:40]}' is not a letter ID.")
    pieces = {
        p.letter_id: p
        for p in MailPiece.objects.select_related("batch", "letter").filter(
            letter_id__in=set(ids.values())
        )
    }
    seen: dict = {}
    rows: list[ReturnRow] = []
    now = timezone.now()
    for line, row in raw:
        if line not in ids:
            continue
        piece = pieces.get(ids[line])
        status = row["status"].lower()
        at = _parse_date(row["date"])
        if piece is None:
            errors.append(f"Line {line}: letter {ids[line]} is in no mail batch.")
            continue
        if ids[line] in seen:
            errors.append(f"Line {line}: letter {ids[line]} is also on line {seen[ids[line]]}.")
            continue
        seen[ids[line]] = line
        if piece.batch.status == MailBatch.Status.BUILT:
            errors.append(
                f"Line {line}: letter {ids[line]} is in a batch not handed to the mail house yet."
            )
        if status not in MailPiece.FINAL:
            errors.append(
                f"Line {line}: status '{row['status'][:20]}' is not mailed, returned or "
                "undeliverable."
            )
        if at is None:
            errors.append(f"Line {line}: date '{row['date'][:30]}' is not a date (YYYY-MM-DD).")
        elif at > now + timedelta(days=1) or timezone.localdate(at) < piece.batch.batch_date:
            errors.append(f"Line {line}: date {row['date']} is outside the batch's mailing days.")
        if piece.status in MailPiece.FINAL and piece.status != status:
            errors.append(
                f"Line {line}: letter {ids[line]} was already recorded as "
                f"{piece.get_status_display().lower()}."
            )
        rows.append(ReturnRow(line, piece, status, at, row.get("reason", "")[:200]))
    return rows, errors


@transaction.atomic
def mail_return_import(*, data: bytes, actor, filename: str = "") -> dict[str, int]:
    """Apply the mail house's return file (letter_id, status mailed/returned/undeliverable,
    date, optional reason). Every row is checked first; one bad row and nothing is applied (the
    ValidationFailed lists each bad line). Rows already applied are skipped, so importing the
    same file twice is harmless. A mailed letter becomes delivered on its mailing date."""
    rows, errors = _check_rows(_decode(data))
    if errors:
        raise ValidationFailed(
            f"The return file has {len(errors)} problem(s); nothing was recorded.",
            field_errors={"file": errors[:50]},
        )
    now = timezone.now()
    counts = {"mailed": 0, "returned": 0, "undeliverable": 0, "unchanged": 0}
    batches = set()
    for row in rows:
        piece = row.piece
        if piece.status == row.status:
            counts["unchanged"] += 1
            continue
        # Claimed in the state we checked: a concurrent import of the same file applies once.
        claimed = MailPiece.objects.filter(pk=piece.pk, status=MailPiece.Status.IN_BATCH).update(
            status=row.status,
            mailed_at=row.at if row.status == MailPiece.Status.MAILED else None,
            returned_reason=row.reason if row.status != MailPiece.Status.MAILED else "",
            result_recorded_at=now,
        )
        if not claimed:
            counts["unchanged"] += 1
            continue
        if row.status == MailPiece.Status.MAILED:
            Letter.objects.filter(pk=piece.letter_id, delivered_at__isnull=True).update(
                delivered_at=row.at, delivery_recorded_at=now
            )
        counts[row.status] += 1
        batches.add(piece.batch_id)
    for batch_id in batches:
        if not MailPiece.objects.filter(batch_id=batch_id, status=MailPiece.Status.IN_BATCH):
            MailBatch.objects.filter(pk=batch_id, status=MailBatch.Status.HANDED_OVER).update(
                status=MailBatch.Status.RETURNED, returned_at=now
            )
    audit_event(
        actor=actor,
        action="mail_return.imported",
        summary=f"Mail house return file {filename[:80]}: {counts['mailed']} mailed, "
        f"{counts['returned']} returned, {counts['undeliverable']} undeliverable, "
        f"{counts['unchanged']} already recorded.",
        data=counts,
    )
    return counts


def mail_batch_for_download(*, batch: MailBatch, actor) -> bytes:
    """The batch as one ZIP (the merged PDF and its index) for the manager; downloading it is
    the hand-over."""
    buffer = io.BytesIO()
    stem = f"um-portal-{batch.batch_date:%Y%m%d}"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        with batch.pdf.open("rb") as fh:
            zf.writestr(f"{stem}.pdf", fh.read())
        with batch.csv.open("rb") as fh:
            zf.writestr(f"{stem}.csv", fh.read())
    mail_batch_hand_over(batch=batch, how=MailBatch.HandOver.DOWNLOAD, actor=actor)
    return buffer.getvalue()
