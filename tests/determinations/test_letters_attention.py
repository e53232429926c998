"""Letters the pipeline gave up on: staff resend them or record that they went, never blindly.

Each failed letter here is made by the real pipeline failing (the worker dying between sending
and recording, the mail server refusing every attempt, the letter check refusing the content).
"""

import smtplib

import pytest
from django.core import mail
from django.urls import reverse

from determinations.models import Letter
from determinations.services import delivery as delivery_module
from determinations.services import determination_issue
from determinations.services.attention import letter_confirm_delivered, letter_resend
from determinations.services.delivery import TransientLetterError, letter_process
from determinations.services.outbox import letters_sweep
from tests.determinations.conftest import approve, deny
from um_portal.audit.models import AccessLog, AuditEvent
from um_portal.lib.errors import InvalidTransition, ValidationFailed

PAGE = "determinations:letters_attention"


class WorkerKilled(BaseException):
    pass


@pytest.fixture
def provider_letter(md_case, director, criteria_set, outbox_env):
    lines = list(md_case.service_lines.all())
    determination = determination_issue(
        case=md_case,
        director=director,
        line_decisions=[approve(lines[0]), deny(lines[1], criteria_set)],
    )
    return determination.letters.get(recipient="provider")


@pytest.fixture
def unconfirmed(provider_letter, monkeypatch, settings):
    """Sent, then the worker died before recording it; the sweeper marked it unconfirmed."""
    real = delivery_module._email

    def send_then_die(letter, connection):
        real(letter, connection)
        raise WorkerKilled

    monkeypatch.setattr(delivery_module, "_email", send_then_die)
    with pytest.raises(WorkerKilled):
        letter_process(provider_letter.pk)
    monkeypatch.setattr(delivery_module, "_email", real)
    settings.LETTER_CLAIM_STALE_SECONDS = 0
    letters_sweep()
    provider_letter.refresh_from_db()
    assert provider_letter.status == "failed"
    assert len(mail.outbox) == 1
    return provider_letter


@pytest.fixture
def exhausted(provider_letter, monkeypatch, settings):
    """The mail server refused every attempt until the sweeper gave up."""

    def refuse(letter, connection):
        raise smtplib.SMTPServerDisconnected("connection refused")

    monkeypatch.setattr(delivery_module, "_email", refuse)
    with pytest.raises(TransientLetterError):
        letter_process(provider_letter.pk)
    settings.LETTER_MAX_ATTEMPTS = 1
    letters_sweep()
    monkeypatch.undo()
    provider_letter.refresh_from_db()
    assert provider_letter.status == "failed"
    assert provider_letter.is_downloadable  # rendered before the mail server failed
    assert mail.outbox == []
    return provider_letter


@pytest.fixture
def refused_by_check(provider_letter, monkeypatch):
    from determinations.services import letters

    monkeypatch.setattr(
        delivery_module,
        "letter_check",
        lambda *a, **k: (_ for _ in ()).throw(letters.LetterIncomplete(["appeal_rights"])),
    )
    letter_process(provider_letter.pk)
    monkeypatch.undo()
    provider_letter.refresh_from_db()
    assert provider_letter.status == "failed"
    return provider_letter


# --- services -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_unconfirmed_letter_is_not_resent_until_someone_checked_the_mail_log(
    unconfirmed, manager
):
    with pytest.raises(ValidationFailed) as error:
        letter_resend(letter=unconfirmed, actor=manager)
    assert "checked_mail_log" in error.value.field_errors
    unconfirmed.refresh_from_db()
    assert unconfirmed.status == "failed"
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_resending_after_checking_sends_the_same_pdf_once(
    unconfirmed, manager, django_capture_on_commit_callbacks
):
    checksum = unconfirmed.sha256
    with django_capture_on_commit_callbacks(execute=True):
        letter_resend(letter=unconfirmed, actor=manager, checked_mail_log=True)
    unconfirmed.refresh_from_db()
    assert (unconfirmed.status, unconfirmed.sha256) == ("sent", checksum)
    assert len(mail.outbox) == 2
    event = AuditEvent.objects.get(action="letter.resent")
    assert (event.actor, event.case_id) == (manager, unconfirmed.determination.care_request_id)
    with pytest.raises(InvalidTransition):  # a second click finds nothing to resend
        letter_resend(letter=unconfirmed, actor=manager, checked_mail_log=True)
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_confirming_delivery_records_it_without_sending(unconfirmed, intake_specialist):
    with pytest.raises(ValidationFailed):
        letter_confirm_delivered(letter=unconfirmed, actor=intake_specialist, evidence=" ")
    letter_confirm_delivered(
        letter=unconfirmed, actor=intake_specialist, evidence="Mail log 10:02, msg 8841"
    )
    unconfirmed.refresh_from_db()
    assert unconfirmed.status == "sent"
    assert unconfirmed.sent_at is not None
    assert "Mail log 10:02" in unconfirmed.last_error
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="letter.delivery_confirmed").count() == 1


@pytest.mark.django_db
def test_an_exhausted_letter_goes_out_again_with_fresh_attempts(
    exhausted, manager, django_capture_on_commit_callbacks
):
    with pytest.raises(InvalidTransition):  # nothing unconfirmed to confirm
        letter_confirm_delivered(letter=exhausted, actor=manager, evidence="mail log entry")
    with django_capture_on_commit_callbacks(execute=True):
        letter_resend(letter=exhausted, actor=manager)
    exhausted.refresh_from_db()
    assert exhausted.status == "sent"
    assert exhausted.attempts == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_letter_refused_by_the_check_cannot_be_resent(refused_by_check, manager):
    with pytest.raises(InvalidTransition, match="reopened"):
        letter_resend(letter=refused_by_check, actor=manager, checked_mail_log=True)
    refused_by_check.refresh_from_db()
    assert refused_by_check.status == "failed"


# --- the page -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_lists_failed_letters_with_what_can_be_done(client_for, manager, unconfirmed):
    html = client_for(manager).get(reverse(PAGE)).content.decode()
    case = unconfirmed.determination.care_request
    assert case.reference in html
    assert "Delivery unconfirmed" in html
    assert reverse("determinations:letter_confirm_delivered", args=[unconfirmed.pk]) in html
    assert 'name="checked_mail_log"' in html


@pytest.mark.django_db
def test_the_page_offers_no_resend_for_a_refused_letter(client_for, manager, refused_by_check):
    html = client_for(manager).get(reverse(PAGE)).content.decode()
    assert "Refused by the letter check" in html
    assert reverse("determinations:letter_resend", args=[refused_by_check.pk]) not in html


@pytest.mark.django_db
def test_posting_resend_without_the_check_is_a_form_error_and_changes_nothing(
    client_for, manager, unconfirmed
):
    response = client_for(manager).post(
        reverse("determinations:letter_resend", args=[unconfirmed.pk])
    )
    assert response.status_code == 400
    assert "Confirm that the mail log shows" in response.content.decode()
    unconfirmed.refresh_from_db()
    assert unconfirmed.status == "failed"


@pytest.mark.django_db
def test_posting_resend_and_confirm(
    client_for, manager, unconfirmed, django_capture_on_commit_callbacks
):
    client = client_for(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("determinations:letter_resend", args=[unconfirmed.pk]),
            {"checked_mail_log": "on"},
        )
    assert response.status_code == 302
    assert Letter.objects.get(pk=unconfirmed.pk).status == "sent"
    # It is no longer failed: the same POST again answers 404 and sends nothing.
    again = client.post(
        reverse("determinations:letter_resend", args=[unconfirmed.pk]), {"checked_mail_log": "on"}
    )
    assert again.status_code == 404
    assert len(mail.outbox) == 2


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["nurse", "director", "provider"])
def test_only_the_manager_and_intake_handle_letters(persona, personas, client_for, unconfirmed):
    client = client_for(personas[persona])
    assert client.get(reverse(PAGE)).status_code == 403
    response = client.post(
        reverse("determinations:letter_resend", args=[unconfirmed.pk]), {"checked_mail_log": "on"}
    )
    assert response.status_code == 403
    unconfirmed.refresh_from_db()
    assert unconfirmed.status == "failed"


@pytest.mark.django_db
def test_the_page_costs_a_fixed_number_of_queries(
    client_for,
    intake_specialist,
    unconfirmed,
    make_md_case,
    director,
    criteria_set,
    django_assert_num_queries,
):
    client = client_for(intake_specialist)
    client.get(reverse(PAGE))
    # session, user, groups, the failed letters with their cases and organisations, the mail
    # room's printed letters not mailed (another app's source, one query), the nav's
    # unread-notification count, the access-log INSERT (one for all rows), and the session
    # save (3).
    with django_assert_num_queries(10):
        client.get(reverse(PAGE))
    for _ in range(2):
        case = make_md_case(lines=1)
        determination = determination_issue(
            case=case,
            director=director,
            line_decisions=[deny(case.service_lines.get(), criteria_set)],
        )
        determination.letters.update(status="failed", last_error="SMTPException: refused")
    with django_assert_num_queries(10):
        response = client.get(reverse(PAGE))
    assert len(response.context["rows"]) == 5


def test_the_page_logs_a_read_of_each_case_it_lists(client_for, manager, unconfirmed):
    assert client_for(manager).get(reverse(PAGE)).status_code == 200
    logged = AccessLog.objects.filter(user=manager, action="letters_attention")
    assert list(logged.values_list("case_id", "channel")) == [
        (unconfirmed.determination.care_request_id, "staff")
    ]
