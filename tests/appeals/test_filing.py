"""Filing: who may, what is refused (with nothing written), the clock and the letters."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from appeals.models import Appeal, AppealEvent, AppealLine
from appeals.services.filing import IntakeReceipt, appeal_file
from determinations.models import Determination, Letter
from intake.models import CareRequest
from um_portal.audit.models import AuditEvent
from um_portal.lib.errors import NotPermitted, ValidationFailed

pytestmark = pytest.mark.django_db


def counts():
    return (
        Appeal.objects.count(),
        AppealLine.objects.count(),
        AppealEvent.objects.count(),
        Letter.objects.count(),
        AuditEvent.objects.filter(action="appeal.filed").count(),
    )


def refused(call, field: str) -> str:
    before = counts()
    with pytest.raises(ValidationFailed) as excinfo:
        call()
    assert counts() == before
    assert list(excinfo.value.field_errors) == [field]
    return excinfo.value.field_errors[field][0]


def test_provider_files_every_adverse_line_by_default(denied_case, file_appeal, provider_user):
    appeal = file_appeal(denied_case)
    assert appeal.status == "received"
    assert appeal.priority == "standard"
    assert appeal.requester == "provider"
    assert appeal.channel == "portal"
    assert appeal.reviewed_determination == Determination.objects.get(care_request=denied_case)
    assert [al.service_line.sequence for al in appeal.lines.all()] == [1, 2]
    assert appeal.due_at == appeal.received_at + timedelta(days=30)
    assert list(appeal.events.values_list("transition", "to_status", "actor")) == [
        ("file", "received", provider_user.pk)
    ]
    acks = Letter.objects.filter(appeal_id=appeal.pk)
    assert sorted(acks.values_list("template", "recipient")) == [
        ("appeal_ack", "member"),
        ("appeal_ack", "provider"),
    ]


def test_physician_request_for_expedited_is_always_expedited(denied_case, file_appeal):
    appeal = file_appeal(denied_case, expedited=True)
    assert (appeal.priority, appeal.physician_requested_expedited) == ("expedited", True)
    assert appeal.due_at == appeal.received_at + timedelta(hours=72)
    # The 72-hour decision is the acknowledgement: no acknowledgement letter.
    assert not Letter.objects.filter(appeal_id=appeal.pk).exists()


def test_case_without_adverse_decision_is_refused(make_denied_case, file_appeal):
    case = make_denied_case(lines=1, outcomes=["approve"])
    message = refused(lambda: file_appeal(case), "care_request")
    assert message == "This request has no adverse decision to appeal."


def test_line_approved_as_requested_is_refused(make_denied_case, file_appeal):
    case = make_denied_case(outcomes=["approve", "deny"])
    approved = case.service_lines.get(sequence=1)
    message = refused(lambda: file_appeal(case, line_ids=[approved.pk]), "lines")
    assert message == (
        "Only denied or reduced services can be appealed; line 1 was approved as requested."
    )


def test_line_of_another_case_is_refused(denied_case, make_denied_case, file_appeal):
    other = make_denied_case(lines=1).service_lines.get()
    message = refused(lambda: file_appeal(denied_case, line_ids=[other.pk]), "lines")
    assert message == "Choose the services to appeal from this request."


def test_late_filing_is_refused_with_the_deadline(denied_case, file_appeal):
    # Medicare Advantage: 65 days (42 CFR 422.582(b)), from AppealPolicy.
    # 66 calendar days back in the plan's zone (66 x 24 h across the end of daylight saving
    # time is only 65 local days late in the evening).
    decided = timezone.make_aware(
        datetime.combine(timezone.localdate() - timedelta(days=66), time(12))
    )
    Determination.objects.filter(care_request=denied_case).update(decided_at=decided)
    deadline = timezone.localdate(decided) + timedelta(days=65)
    message = refused(lambda: file_appeal(denied_case), "care_request")
    assert message == (
        f"The appeal window closed on {deadline:%Y-%m-%d}; ask the plan's appeals unit about a "
        "late appeal for good cause."
    )


def test_filing_on_the_last_day_is_accepted(denied_case, file_appeal):
    decided = timezone.make_aware(
        datetime.combine(timezone.localdate() - timedelta(days=65), time(12))
    )
    Determination.objects.filter(care_request=denied_case).update(decided_at=decided)
    assert file_appeal(denied_case).status == "received"


def test_intake_accepts_a_late_filing_for_good_cause(denied_case, intake_specialist):
    Determination.objects.filter(care_request=denied_case).update(
        decided_at=timezone.now() - timedelta(days=90)
    )
    receipt = IntakeReceipt(channel="fax", requester="member")
    message = refused(
        lambda: appeal_file(
            care_request=denied_case,
            actor=intake_specialist,
            reason="Member disagrees.",
            intake=receipt,
        ),
        "received_at",
    )
    assert message.endswith(": record the good cause to accept a late appeal.")
    appeal = appeal_file(
        care_request=denied_case,
        actor=intake_specialist,
        reason="Member disagrees.",
        intake=IntakeReceipt(
            channel="fax", requester="member", late_good_cause="Member was in hospital."
        ),
    )
    assert appeal.late_filing_good_cause == "Member was in hospital."
    assert AuditEvent.objects.get(action="appeal.filed").data["late_good_cause"] == (
        "Member was in hospital."
    )


def test_backdated_receipt_needs_a_reason_and_sets_the_clock(denied_case, intake_specialist):
    received = timezone.now() - timedelta(hours=10)
    call = lambda reason: appeal_file(  # noqa: E731
        care_request=denied_case,
        actor=intake_specialist,
        reason="Member called to appeal.",
        intake=IntakeReceipt(
            channel="phone", requester="member", received_at=received, backdate_reason=reason
        ),
    )
    message = refused(lambda: call(""), "backdate_reason")
    assert message.startswith("Say why the appeal is recorded with an earlier receipt time")
    appeal = call("Voicemail left overnight.")
    assert (appeal.received_at, appeal.due_at) == (received, received + timedelta(days=30))
    assert appeal.receipt_backdate_reason == "Voicemail left overnight."
    assert (appeal.channel, appeal.requester) == ("phone", "member")
    assert AuditEvent.objects.get(action="appeal.filed").data["backdate_reason"] == (
        "Voicemail left overnight."
    )


def test_second_open_appeal_on_the_same_lines_is_refused(denied_case, file_appeal):
    first = file_appeal(denied_case)
    message = refused(lambda: file_appeal(denied_case), "lines")
    assert message == f"These services are already under appeal ({first.reference})."


def test_another_line_may_be_appealed_while_one_is_open(denied_case, file_appeal):
    line1, line2 = denied_case.service_lines.order_by("sequence")
    file_appeal(denied_case, line_ids=[line1.pk])
    second = file_appeal(denied_case, line_ids=[line2.pk])
    assert [al.service_line_id for al in second.lines.all()] == [line2.pk]


def test_expedited_payment_appeal_is_refused(denied_case, file_appeal):
    CareRequest.objects.filter(pk=denied_case.pk).update(request_type="retrospective")
    message = refused(lambda: file_appeal(denied_case, expedited=True), "expedited")
    assert message.startswith("An expedited appeal is for a service not yet received")


def test_empty_reason_is_refused(denied_case, file_appeal):
    assert refused(lambda: file_appeal(denied_case, reason="  "), "reason") == (
        "Say why the decision should be changed."
    )


def test_other_organisation_and_nurse_may_not_file(denied_case, outsider, nurse):
    before = counts()
    for user in (outsider, nurse):
        with pytest.raises(NotPermitted):
            appeal_file(care_request=denied_case, actor=user, reason="Please reconsider.")
    assert counts() == before
