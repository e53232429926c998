"""A batch is handed to the mail house only when it is downloaded or delivered by SFTP."""

import io
import zipfile
from datetime import date

import pytest
from django.urls import reverse

from mailroom.models import MailBatch
from mailroom.services import mail_batch_build, mail_batch_send_sftp
from mailroom.sftp import SftpError
from mailroom.tasks import mail_batch_run
from tests.mailroom.sftp_server import PASSWORD, USER, LocalSftpServer
from um_portal.audit.models import AccessLog, AuditEvent

DAY = date(2026, 12, 1)


@pytest.mark.django_db
def test_downloading_hands_the_batch_over_once_and_logs_each_case(
    client_for, manager, make_printed
):
    letters = [make_printed(), make_printed()]
    batch = mail_batch_build(batch_date=DAY)
    client = client_for(manager)
    page = client.get(reverse("mailroom:batches"))
    assert page.status_code == 200
    assert "Download and hand over" in page.content.decode()
    assert AccessLog.objects.count() == 0  # the list names no member
    response = client.post(reverse("mailroom:batch_download", args=[batch.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert names == ["um-portal-20261201.pdf", "um-portal-20261201.csv"]
    batch.refresh_from_db()
    assert (batch.status, batch.handed_over_how, batch.handed_over_by) == (
        "handed_over",
        "download",
        manager,
    )
    first_at = batch.handed_over_at
    assert set(AccessLog.objects.values_list("case_id", flat=True)) == {
        letter.case_pk for letter in letters
    }
    client.post(reverse("mailroom:batch_download", args=[batch.pk]))  # a second copy
    batch.refresh_from_db()
    assert batch.handed_over_at == first_at
    assert AuditEvent.objects.filter(action="mail_batch.handed_over").count() == 1


@pytest.mark.django_db
def test_a_get_never_hands_a_batch_over(client_for, manager, make_printed):
    make_printed()
    batch = mail_batch_build(batch_date=DAY)
    response = client_for(manager).get(reverse("mailroom:batch_download", args=[batch.pk]))
    assert response.status_code == 405
    assert MailBatch.objects.get().status == "built"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["intake", "nurse", "director", "provider", "outsider"])
def test_only_the_manager_runs_the_mail_room(persona, personas, client_for, make_printed):
    make_printed()
    batch = mail_batch_build(batch_date=DAY)
    client = client_for(personas[persona])
    assert client.get(reverse("mailroom:batches")).status_code == 403
    assert client.post(reverse("mailroom:batch_download", args=[batch.pk])).status_code == 403
    assert MailBatch.objects.get().status == "built"
    assert AccessLog.objects.count() == 0


@pytest.mark.django_db
def test_the_mail_room_page_costs_a_fixed_number_of_queries(
    client_for, manager, make_printed, django_assert_num_queries
):
    client = client_for(manager)
    client.get(reverse("mailroom:batches"))
    make_printed()
    mail_batch_build(batch_date=DAY)
    # session, user, groups, the batches with who handed them over, the nav's unread count,
    # and the session save (3)
    with django_assert_num_queries(8):
        client.get(reverse("mailroom:batches"))
    make_printed()
    mail_batch_build(batch_date=date(2026, 12, 2))
    with django_assert_num_queries(8):
        response = client.get(reverse("mailroom:batches"))
    assert len(response.context["batches"]) == 2


@pytest.fixture
def sftp_server(tmp_path, settings):
    root = tmp_path / "mailhouse"
    (root / "inbound").mkdir(parents=True)
    server = LocalSftpServer(root).start()
    settings.MAILROOM_HANDOVER = "sftp"
    settings.MAILROOM_SFTP_HOST = "127.0.0.1"
    settings.MAILROOM_SFTP_PORT = server.port
    settings.MAILROOM_SFTP_USER = USER
    settings.MAILROOM_SFTP_PASSWORD = PASSWORD
    settings.MAILROOM_SFTP_HOST_KEY = server.host_key_line
    settings.MAILROOM_SFTP_DIR = "inbound"
    yield server
    server.stop()


@pytest.mark.django_db
def test_beat_delivers_the_batch_by_sftp_and_only_then_it_is_handed_over(sftp_server, make_printed):
    make_printed(pages=2)
    result = mail_batch_run()
    assert (result["letters"], result["sent"]) == (1, 1)
    batch = MailBatch.objects.get()
    stem = f"um-portal-{batch.batch_date:%Y%m%d}"
    inbound = sftp_server.root / "inbound"
    assert sorted(p.name for p in inbound.iterdir()) == [f"{stem}.csv", f"{stem}.pdf"]
    with batch.pdf.open("rb") as fh:
        assert (inbound / f"{stem}.pdf").read_bytes() == fh.read()
    with batch.csv.open("rb") as fh:
        assert (inbound / f"{stem}.csv").read_bytes() == fh.read()
    assert (batch.status, batch.handed_over_how, batch.handed_over_by) == (
        "handed_over",
        "sftp",
        None,
    )
    assert mail_batch_run()["sent"] == 0  # nothing sent twice


@pytest.mark.django_db
def test_a_failed_upload_leaves_the_batch_built_for_the_next_run(
    sftp_server, settings, make_printed
):
    make_printed()
    settings.MAILROOM_SFTP_PASSWORD = "wrong"
    assert mail_batch_run()["sent"] == 0
    assert MailBatch.objects.get().status == "built"
    assert list((sftp_server.root / "inbound").iterdir()) == []
    settings.MAILROOM_SFTP_PASSWORD = PASSWORD
    assert mail_batch_run()["sent"] == 1
    assert MailBatch.objects.get().status == "handed_over"


@pytest.mark.django_db
def test_an_unknown_server_key_is_refused(sftp_server, settings, make_printed):
    import paramiko

    make_printed()
    batch = mail_batch_build(batch_date=DAY)
    other = paramiko.RSAKey.generate(2048)
    settings.MAILROOM_SFTP_HOST_KEY = f"{other.get_name()} {other.get_base64()}"
    with pytest.raises(SftpError):
        mail_batch_send_sftp(batch=batch)
    assert MailBatch.objects.get().status == "built"
    assert list((sftp_server.root / "inbound").iterdir()) == []
