"""When the plan pends a request for information, the provider's office is e-mailed once, after
the pend commits, with the reference and the answer-by time — never what is asked for."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from intake.models import InformationRequest
from intake.services.notices import information_request_notify_provider
from intake.services.workflow import care_request_request_info
from tests.factories import make_case
from um_portal.audit.models import AuditEvent


@pytest.fixture
def case(intake_specialist, organization, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    organization.email = "auth@practice.example"
    organization.save()
    return make_case(actor=intake_specialist, organization=organization)


def _pend(case, actor):
    return care_request_request_info(
        care_request=case,
        actor=actor,
        description="Send the MRI report of the left knee and the physical therapy notes.",
        due_by=timezone.now() + timedelta(days=2),
    )


@pytest.mark.django_db
def test_the_office_is_told_once_after_commit_without_clinical_details(
    case, intake_specialist, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://um.plan.example"
    with django_capture_on_commit_callbacks() as callbacks:
        info = _pend(case, intake_specialist)
    assert mail.outbox == []  # nothing before the pend commits
    for callback in callbacks:
        callback()
    (message,) = mail.outbox
    assert message.to == ["auth@practice.example"]
    assert message.subject == (
        f"Information requested for prior authorization request {case.reference}"
    )
    assert f"{settings.SITE_URL}/portal/requests/{case.pk}/#information" in message.body
    for private in ("MRI", "knee", "therapy", case.member.last_name):
        assert private not in message.subject + message.body
    info.refresh_from_db()
    assert info.provider_notified_at is not None
    event = AuditEvent.objects.get(action="information_request.provider_notified")
    assert event.case_id == case.pk
    # A repeated task (a redelivered message) sends nothing more.
    assert information_request_notify_provider(information_request_id=info.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_an_office_without_an_email_address_gets_nothing(
    case, intake_specialist, django_capture_on_commit_callbacks
):
    case.provider_organization.email = ""
    case.provider_organization.save()
    with django_capture_on_commit_callbacks(execute=True):
        info = _pend(case, intake_specialist)
    assert mail.outbox == []
    info.refresh_from_db()
    assert info.provider_notified_at is None


@pytest.mark.django_db
def test_a_mail_server_error_gives_the_claim_back_for_the_retry(
    case, intake_specialist, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks():
        info = _pend(case, intake_specialist)

    def refuse(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("try later")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with pytest.raises(smtplib.SMTPServerDisconnected):
        information_request_notify_provider(information_request_id=info.pk)
    assert InformationRequest.objects.get(pk=info.pk).provider_notified_at is None
    monkeypatch.undo()
    assert information_request_notify_provider(information_request_id=info.pk) is True
    assert len(mail.outbox) == 1
