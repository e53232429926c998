"""Beat builds the day's mail batch and, when the mail house takes files by SFTP, sends it."""

import logging

from celery import shared_task
from celery.schedules import crontab

from um_portal.celery import app

from .conf import mailroom_setting
from .models import MailBatch
from .services import mail_batch_build, mail_batch_send_sftp
from .sftp import SftpError

log = logging.getLogger(__name__)


def mail_batch_run() -> dict:
    """Build today's batch (idempotent); in SFTP mode send every batch still not handed over,
    oldest first (yesterday's failed upload goes with today's)."""
    batch = mail_batch_build()
    sent = 0
    if mailroom_setting("MAILROOM_HANDOVER") == "sftp":
        for waiting in MailBatch.objects.filter(status=MailBatch.Status.BUILT).order_by(
            "batch_date"
        ):
            try:
                sent += mail_batch_send_sftp(batch=waiting)
            except SftpError as exc:
                # Left built: it shows on the letters attention page after a day, and the next
                # run tries again.
                log.warning("%s not sent by SFTP: %s", waiting, exc)
    return {
        "batch": str(batch.pk) if batch else "",
        "letters": batch.letter_count if batch else 0,
        "sent": sent,
    }


@shared_task(ignore_result=True)
def mail_batch_task() -> dict:
    """Beat: the daily mail batch."""
    return mail_batch_run()


@app.on_after_finalize.connect
def schedule_mail_batch(sender, **kwargs) -> None:
    sender.add_periodic_task(
        crontab(minute=0, hour=int(mailroom_setting("MAILROOM_BATCH_HOUR"))),
        mail_batch_task.s(),
        name="mailroom: build (and send) the daily mail batch",
    )
