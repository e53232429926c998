"""The outbox pipeline: idempotent tasks, the sweeper, failures, the at-most-once e-mail."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from determinations import tasks
from determinations.models import Letter
from determinations.services import delivery as delivery_module
from determinations.services import determination_issue
from determinations.services.delivery import TransientLetterError, letter_process
from determinations.services.outbox import letters_sweep
from tests.determinations.conftest import approve, deny


@pytest.fixture
def decided(md_case, director, criteria_set):
    lines = list(md_case.service_lines.all())
    return determination_issue(
        case=md_case,
        director=director,
        line_decisions=[approve(lines[0]), deny(lines[1], criteria_set)],
    )


@pytest.mark.django_db(transaction=True)
def test_decision_queues_letters_after_commit_and_they_are_delivered(
    reference_data, md_case, director, criteria_set, outbox_env
):
    lines = list(md_case.service_lines.all())
    d = determination_issue(
        case=md_case,
        director=director,
        line_decisions=[approve(lines[0]), deny(lines[1], criteria_set)],
    )
    statuses = dict(d.letters.values_list("recipient", "status"))
    assert statuses == {"provider": "sent", "member": "sent"}
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == f"Determination letter for request {md_case.reference}"
    assert md_case.member.last_name not in message.subject + message.body
    assert message.to == [md_case.provider_organization.email]
    assert message.attachments[0][0] == f"determination-{md_case.reference}.pdf"
    assert message.attachments[0][1].startswith(b"%PDF")
    assert (
        message.extra_headers["Message-ID"]
        == f"<letter-{d.letters.get(recipient='provider').pk}@um-portal.invalid>"
    )


@pytest.mark.django_db
def test_letter_is_sent_once_when_the_task_runs_twice(decided, outbox_env):
    letter = decided.letters.get(recipient="provider")
    assert tasks.letter_process.delay(str(letter.pk)).get() == "sent"
    assert tasks.letter_process.delay(str(letter.pk)).get() == "sent"
    assert len(mail.outbox) == 1
    letter.refresh_from_db()
    assert (letter.status, letter.attempts) == ("sent", 2)  # render claim + send claim
    assert letter.sent_at is not None


@pytest.mark.django_db
def test_member_copy_is_ready_for_print_and_not_emailed(decided, outbox_env):
    letter = decided.letters.get(recipient="member")
    assert letter_process(letter.pk) == "sent"
    letter.refresh_from_db()
    assert letter.print_ready_at is not None and letter.sent_at is not None
    assert mail.outbox == []


@pytest.mark.django_db
def test_provider_without_email_gets_a_printed_copy(make_md_case, director, outbox_env):
    case = make_md_case(lines=1)
    case.provider_organization.email = ""
    case.provider_organization.save()
    d = determination_issue(
        case=case, director=director, line_decisions=[approve(case.service_lines.get())]
    )
    letter = d.letters.get(recipient="provider")
    assert letter.channel == "mail"
    assert letter_process(letter.pk) == "sent"
    assert mail.outbox == []


@pytest.mark.django_db
def test_transient_mail_failure_releases_the_claim_and_a_retry_sends_once(
    decided, outbox_env, monkeypatch
):
    letter = decided.letters.get(recipient="provider")
    real = delivery_module._email

    def down(letter, connection):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(delivery_module, "_email", down)
    with pytest.raises(TransientLetterError):
        letter_process(letter.pk)
    letter.refresh_from_db()
    assert (letter.status, letter.last_error) == (
        "rendered",
        "ConnectionRefusedError: mail server down",
    )
    monkeypatch.setattr(delivery_module, "_email", real)
    assert letter_process(letter.pk) == "sent"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_eager_task_leaves_a_transiently_failing_letter_for_the_sweeper(
    decided, outbox_env, monkeypatch
):
    letter = decided.letters.get(recipient="provider")
    monkeypatch.setattr(
        delivery_module.pdf, "html_to_pdf", lambda html: (_ for _ in ()).throw(OSError("disk full"))
    )
    assert tasks.letter_process.delay(str(letter.pk)).get() == "retry_later"
    letter.refresh_from_db()
    assert (letter.status, letter.last_error, bool(letter.pdf)) == (
        "pending",
        "OSError: disk full",
        False,
    )


class WorkerKilled(BaseException):
    """Stands in for SIGKILL: not an Exception, so nothing in the task catches it."""


@pytest.mark.django_db
def test_crash_between_send_and_mark_never_sends_twice(decided, outbox_env, monkeypatch, settings):
    """At-most-once: a letter whose worker died after the mail backend accepted it is marked
    'delivery unconfirmed' by the sweeper, never re-sent automatically."""
    letter = decided.letters.get(recipient="provider")
    real = delivery_module._email

    def send_then_die(letter, connection):
        real(letter, connection)
        raise WorkerKilled

    monkeypatch.setattr(delivery_module, "_email", send_then_die)
    with pytest.raises(WorkerKilled):
        letter_process(letter.pk)
    monkeypatch.setattr(delivery_module, "_email", real)
    letter.refresh_from_db()
    assert letter.status == "sending"
    assert letter_process(letter.pk) == "sending"  # a redelivered task does nothing
    settings.LETTER_CLAIM_STALE_SECONDS = 0
    settings.LETTER_SWEEP_AFTER_SECONDS = 0
    result = letters_sweep()
    assert result["unconfirmed"] == 1
    letter.refresh_from_db()
    assert letter.status == "failed"
    assert letter.last_error.startswith("Delivery unconfirmed")
    assert letter_process(letter.pk) == "failed"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_sweeper_requeues_letters_not_sent_after_a_few_minutes(decided, outbox_env, settings):
    settings.LETTER_SWEEP_AFTER_SECONDS = 180
    assert letters_sweep()["queued"] == 0  # just written: not yet due
    assert Letter.objects.filter(status="pending").count() == 2
    Letter.objects.update(created_at=timezone.now() - timedelta(minutes=4))
    assert letters_sweep() == {"released": 0, "unconfirmed": 0, "exhausted": 0, "queued": 2}
    assert set(Letter.objects.values_list("status", flat=True)) == {"sent"}
    assert len(mail.outbox) == 1
    assert letters_sweep()["queued"] == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_sweeper_releases_a_dead_workers_render_claim(decided, outbox_env, settings):
    letter = decided.letters.get(recipient="provider")
    old = timezone.now() - timedelta(minutes=10)
    Letter.objects.filter(pk=letter.pk).update(status="rendering", claimed_at=old, attempts=1)
    settings.LETTER_CLAIM_STALE_SECONDS = 300
    settings.LETTER_SWEEP_AFTER_SECONDS = 180
    result = letters_sweep()
    assert result["released"] == 1
    letter.refresh_from_db()
    assert letter.status == "sent"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_late_finish_of_a_presumed_dead_worker_is_discarded(decided, outbox_env, monkeypatch):
    """A slow worker whose claim the sweeper released cannot overwrite the new claimant's work:
    while it renders, the sweeper puts the letter back and another worker renders and sends
    it; the slow worker's own finish then changes nothing and its file is dropped."""
    from django.core.files.storage import default_storage

    letter = decided.letters.get(recipient="provider")
    real = delivery_module.pdf.html_to_pdf
    overtaken = []

    def slow_render(html):
        if not overtaken:
            overtaken.append(True)
            Letter.objects.filter(pk=letter.pk).update(status="pending")  # sweeper released it
            assert letter_process(letter.pk) == "sent"  # the new worker
        return real(html)

    monkeypatch.setattr(delivery_module.pdf, "html_to_pdf", slow_render)
    assert delivery_module.letter_render(letter.pk) is False
    letter.refresh_from_db()
    assert letter.status == "sent"
    assert default_storage.exists(letter.pdf.name)  # the sent PDF, not the late one
    assert len(default_storage.listdir(letter.pdf.name.rsplit("/", 1)[0])[1]) == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_letter_failing_the_check_is_not_issued(decided, outbox_env, monkeypatch):
    letter = decided.letters.get(recipient="provider")
    monkeypatch.setattr(
        delivery_module,
        "letter_html_and_context",
        lambda letter: ("<html><body>Hi</body></html>", {}),
    )
    assert letter_process(letter.pk) == "failed"
    letter.refresh_from_db()
    assert letter.last_error.startswith("Letter check failed; missing or empty: decision")
    assert (bool(letter.pdf), mail.outbox) == (False, [])


@pytest.mark.django_db
def test_sweeper_gives_up_after_max_attempts(decided, outbox_env, settings):
    settings.LETTER_MAX_ATTEMPTS = 3
    Letter.objects.update(attempts=3)
    assert letters_sweep()["exhausted"] == 2
    assert set(Letter.objects.values_list("status", flat=True)) == {"failed"}


def test_beat_runs_the_sweeper():
    from um_portal.celery import app

    app.loader.import_default_modules()
    app.finalize()
    entry = app.conf.beat_schedule["determinations: sweep the letter outbox"]
    assert entry["task"] == "determinations.tasks.letters_sweep_task"
    assert entry["schedule"] == 60.0
