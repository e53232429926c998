"""The mail house's return file: mailed letters become delivered on their mailing date; one bad
row and nothing is recorded."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from determinations.models import Letter
from mailroom.models import MailBatch, MailPiece
from mailroom.services import mail_batch_build, mail_batch_hand_over, mail_return_import
from um_portal.lib.errors import ValidationFailed

DAY = date(2026, 12, 1)


def _csv(*rows: str, header: str = "letter_id,status,date,reason") -> bytes:
    return "\n".join([header, *rows]).encode()


@pytest.fixture
def handed_over(make_printed, manager):
    letters = [make_printed(), make_printed(), make_printed()]
    batch = mail_batch_build(batch_date=DAY)
    mail_batch_hand_over(batch=batch, how="download", actor=manager)
    return batch, letters


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


@pytest.mark.django_db
def test_a_good_return_file_delivers_the_mailed_letters(handed_over, manager):
    batch, (a, b, c) = handed_over
    counts = mail_return_import(
        data=_csv(
            f"{a.pk},mailed,2026-12-02,",
            f"{b.pk},MAILED,2026-12-02T10:30:00-05:00,",
            f"{c.pk},undeliverable,2026-12-03,No such street",
        ),
        actor=manager,
    )
    assert counts == {"mailed": 2, "returned": 0, "undeliverable": 1, "unchanged": 0}
    a.refresh_from_db()
    b.refresh_from_db()
    c.refresh_from_db()
    assert a.delivered_at == _end_of(date(2026, 12, 2))
    assert b.delivered_at == datetime.fromisoformat("2026-12-02T10:30:00-05:00")
    assert a.delivery_recorded_at is not None
    assert c.delivered_at is None
    assert c.mail_piece.status == "undeliverable"
    assert c.mail_piece.returned_reason == "No such street"
    batch.refresh_from_db()
    assert batch.status == "returned"
    # The same file again changes nothing.
    again = mail_return_import(
        data=_csv(f"{a.pk},mailed,2026-12-02,", f"{c.pk},undeliverable,2026-12-03,x"),
        actor=manager,
    )
    assert again == {"mailed": 0, "returned": 0, "undeliverable": 0, "unchanged": 2}


@pytest.mark.django_db
def test_a_partial_return_leaves_the_batch_handed_over(handed_over, manager):
    batch, (a, _, _) = handed_over
    mail_return_import(data=_csv(f"{a.pk},mailed,2026-12-02,"), actor=manager)
    assert MailBatch.objects.get().status == "handed_over"


@pytest.mark.django_db
def test_one_bad_row_and_nothing_is_recorded(handed_over, manager, make_printed):
    batch, (a, b, c) = handed_over
    unbatched = make_printed()
    with pytest.raises(ValidationFailed) as caught:
        mail_return_import(
            data=_csv(
                f"{a.pk},mailed,2026-12-02,",
                "not-an-id,mailed,2026-12-02,",
                f"{b.pk},lost,2026-12-02,",
                f"{c.pk},mailed,02/12/2026,",
                f"{unbatched.pk},mailed,2026-12-02,",
                f"{a.pk},mailed,2026-12-02,",
                f"{b.pk},mailed,2026-11-20,",
            ),
            actor=manager,
        )
    assert caught.value.field_errors["file"] == [
        "Line 3: 'not-an-id' is not a letter ID.",
        "Line 4: status 'lost' is not mailed, returned or undeliverable.",
        "Line 5: date '02/12/2026' is not a date (YYYY-MM-DD).",
        f"Line 6: letter {unbatched.pk} is in no mail batch.",
        f"Line 7: letter {a.pk} is also on line 2.",
        f"Line 8: letter {b.pk} is also on line 4.",
    ]
    assert Letter.objects.filter(delivered_at__isnull=False).count() == 0
    assert MailPiece.objects.exclude(status="in_batch").count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "The header lacks the column(s): letter_id, status, date."),
        (b"letter_id,status\n1,mailed\n", "The header lacks the column(s): date."),
        (b"letter_id,status,date\n", "The file has no rows."),
        (b"\xff\xfe\x00bad", "Save it as CSV (UTF-8) and try again."),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(handed_over, manager, data, message):
    with pytest.raises(ValidationFailed) as caught:
        mail_return_import(data=data, actor=manager)
    assert caught.value.field_errors["file"] == [message]


@pytest.mark.django_db
def test_a_batch_not_handed_over_cannot_be_returned(make_printed, manager):
    letter = make_printed()
    mail_batch_build(batch_date=DAY)
    with pytest.raises(ValidationFailed) as caught:
        mail_return_import(data=_csv(f"{letter.pk},mailed,2026-12-02,"), actor=manager)
    assert caught.value.field_errors["file"] == [
        f"Line 2: letter {letter.pk} is in a batch not handed to the mail house yet."
    ]


@pytest.mark.django_db
def test_a_final_result_is_not_overwritten(handed_over, manager):
    _, (a, _, _) = handed_over
    mail_return_import(data=_csv(f"{a.pk},returned,2026-12-02,Moved"), actor=manager)
    with pytest.raises(ValidationFailed) as caught:
        mail_return_import(data=_csv(f"{a.pk},mailed,2026-12-02,"), actor=manager)
    assert caught.value.field_errors["file"] == [
        f"Line 2: letter {a.pk} was already recorded as returned."
    ]


@pytest.mark.django_db
def test_the_page_imports_a_file_and_shows_errors(handed_over, client_for, manager):
    _, (a, b, _) = handed_over
    client = client_for(manager)
    bad = SimpleUploadedFile("r.csv", _csv(f"{a.pk},mailed,2026-12-02,", "x,mailed,2026-12-02,"))
    response = client.post(reverse("mailroom:return_import"), {"file": bad})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Line 3: &#x27;x&#x27; is not a letter ID." in body
    assert "nothing was recorded" in body
    assert Letter.objects.filter(delivered_at__isnull=False).count() == 0
    assert client.post(reverse("mailroom:return_import"), {}).status_code == 400
    good = SimpleUploadedFile("r.csv", _csv(f"{a.pk},mailed,2026-12-02,"))
    response = client.post(reverse("mailroom:return_import"), {"file": good})
    assert response.status_code == 302
    assert Letter.objects.filter(delivered_at__isnull=False).count() == 1


@pytest.mark.django_db
def test_late_and_returned_letters_show_on_the_attention_page(client_for, manager, make_printed):
    stale = make_printed(queued_ago=timedelta(days=2))
    stale_batched = make_printed(queued_ago=timedelta(days=2))
    fresh = make_printed(queued_ago=timedelta(hours=2))
    page = reverse("determinations:letters_attention")
    rows = client_for(manager).get(page).context["other_rows"]
    assert {row["letter"].pk for row in rows} == {stale.pk, stale_batched.pk}
    batch = mail_batch_build(batch_date=DAY)
    rows = client_for(manager).get(page).context["other_rows"]
    assert [row["note"] for row in rows] == [
        "In the 2026-12-01 batch, not handed to the mail house."
    ] * 2
    mail_batch_hand_over(batch=batch, how="download", actor=manager)
    assert client_for(manager).get(page).context["other_rows"] == []
    mail_return_import(
        data=_csv(
            f"{stale.pk},mailed,2026-12-02,",
            f"{stale_batched.pk},mailed,2026-12-02,",
            f"{fresh.pk},returned,2026-12-02,Moved away",
        ),
        actor=manager,
    )
    response = client_for(manager).get(page)
    (row,) = response.context["other_rows"]
    assert (row["letter"].pk, row["problem"]) == (fresh.pk, "mail_returned")
    assert "The mail house reports it returned: Moved away." in response.content.decode()
