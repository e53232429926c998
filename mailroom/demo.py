"""Demo mail room: yesterday's batch handed over and returned (one letter back as
undeliverable, on the letters attention page), and today's batch built and waiting for the
manager's download."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import MailBatch, MailPiece
from .services import mail_batch_build, mail_batch_hand_over, mail_return_import


def seed_mailroom(*, users: dict, log=print) -> None:
    if MailBatch.objects.exists():
        return
    from .services import _letters_to_print

    waiting = _letters_to_print().count()
    if waiting < 2:
        log("Mail room: no printed letters waiting; no demo batch.")
        return
    manager = users["manager"]
    today = timezone.localdate()
    with transaction.atomic():
        old = mail_batch_build(batch_date=today - timedelta(days=1), limit=waiting // 2)
        mail_batch_hand_over(batch=old, how=MailBatch.HandOver.DOWNLOAD, actor=manager)
        pieces = list(MailPiece.objects.filter(batch=old).order_by("sequence"))
        mailed_on = f"{today:%Y-%m-%d}"
        lines = ["letter_id,status,date,reason"]
        for piece in pieces[:-1]:
            lines.append(f"{piece.letter_id},mailed,{mailed_on},")
        lines.append(f"{pieces[-1].letter_id},undeliverable,{mailed_on},No such street number")
        counts = mail_return_import(
            data="\n".join(lines).encode(), actor=manager, filename="demo-return.csv"
        )
        new = mail_batch_build(batch_date=today)
    log(
        f"Mail room: {old} returned ({counts['mailed']} mailed, {counts['undeliverable']} "
        f"undeliverable); {new} built with {new.letter_count} letters."
    )
