"""The daily batch: every printed letter once, one merged PDF, an index naming each piece."""

import csv
import io
from datetime import date

import pytest
from pypdf import PdfReader

from determinations.models import Letter
from mailroom.models import MailBatch, MailPiece
from mailroom.services import INDEX_COLUMNS, mail_batch_build
from mailroom.tasks import mail_batch_run

DAY = date(2026, 12, 1)


def _index(batch: MailBatch) -> list[dict]:
    with batch.csv.open("rb") as fh:
        return list(csv.DictReader(io.StringIO(fh.read().decode())))


@pytest.mark.django_db
def test_a_batch_merges_the_waiting_letters_with_an_index(make_printed):
    first = make_printed(pages=2)
    second = make_printed(pages=3)
    batch = mail_batch_build(batch_date=DAY)
    assert (batch.letter_count, batch.page_count, batch.status) == (2, 5, "built")
    with batch.pdf.open("rb") as fh:
        assert len(PdfReader(io.BytesIO(fh.read())).pages) == 5
    rows = _index(batch)
    assert list(rows[0]) == INDEX_COLUMNS
    member = first.case.member
    assert rows[0] == {
        "sequence": "1",
        "letter_id": str(first.pk),
        "recipient": f"{member.first_name} {member.last_name}",
        "address_line": "12 Elm Street",
        "city": "Albany",
        "state": member.state,
        "postal_code": "12207",
        "first_page": "1",
        "pages": "2",
        "imb": "IMB-PENDING-20261201-00001",
    }
    assert (rows[1]["letter_id"], rows[1]["first_page"], rows[1]["pages"]) == (
        str(second.pk),
        "3",
        "3",
    )
    # Sent to the print queue is not delivered: only the return file delivers.
    assert Letter.objects.filter(delivered_at__isnull=False).count() == 0


@pytest.mark.django_db
def test_a_letter_is_never_in_two_batches_and_a_day_has_one_batch(make_printed):
    letter = make_printed()
    batch = mail_batch_build(batch_date=DAY)
    assert mail_batch_build(batch_date=DAY) == batch  # same day: the same batch, untouched
    assert mail_batch_build(batch_date=date(2026, 12, 2)) is None  # nothing left to print
    later = make_printed()
    next_day = mail_batch_build(batch_date=date(2026, 12, 2))
    assert list(next_day.pieces.values_list("letter_id", flat=True)) == [later.pk]
    assert MailPiece.objects.filter(letter=letter).count() == 1
    assert MailBatch.objects.count() == 2


@pytest.mark.django_db
def test_only_printed_sent_letters_with_a_pdf_are_batched(make_printed):
    printed = make_printed()
    emailed = make_printed()
    Letter.objects.filter(pk=emailed.pk).update(channel="email")
    pending = make_printed()
    Letter.objects.filter(pk=pending.pk).update(status="rendered")
    batch = mail_batch_build(batch_date=DAY)
    assert list(batch.pieces.values_list("letter_id", flat=True)) == [printed.pk]


@pytest.mark.django_db
def test_a_provider_office_without_email_gets_a_printed_letter_named_for_it(make_printed):
    letter = make_printed(recipient="provider")
    batch = mail_batch_build(batch_date=DAY)
    assert _index(batch)[0]["recipient"] == letter.case.provider_organization.name


@pytest.mark.django_db
def test_the_command_builds_todays_batch_once(make_printed, capsys):
    from django.core.management import call_command

    make_printed()
    call_command("mail_batch")
    call_command("mail_batch")
    assert MailBatch.objects.count() == 1
    assert MailBatch.objects.get().letter_count == 1
    assert mail_batch_run()["letters"] == 1


@pytest.mark.django_db
def test_the_beat_schedule_has_the_daily_batch():
    from um_portal.celery import app

    app.loader.import_default_modules()
    app.finalize()
    names = set(app.conf.beat_schedule)
    assert "mailroom: build (and send) the daily mail batch" in names
