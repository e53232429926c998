"""Turnaround clocks: at-risk and breach notices fire once, extensions, and a pend keeps the
clock running (DESIGN §5)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail

from intake.models import CareRequest
from intake.services.workflow import care_request_request_info, care_request_withdraw
from review.models import Notification
from review.selectors.notifications import notification_page_for_user
from review.services.clocks import care_request_extend
from review.services.routing import case_get_next
from review.tasks import clocks_sweep
from tests.factories import make_case
from tests.review.routing_support import case_in_review, make_queue, make_reviewer
from um_portal.audit.models import AuditEvent
from um_portal.celery import app
from um_portal.lib.errors import InvalidTransition, NotPermitted, ValidationFailed

pytestmark = pytest.mark.django_db
RECEIVED = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)  # Medicare Advantage standard: due in 7 days


@pytest.fixture
def lead():
    return make_reviewer(username="lead")


@pytest.fixture
def assigned(intake_specialist, lead):
    """A case received at RECEIVED, in the lead's queue, assigned to a nurse."""
    with time_machine.travel(RECEIVED, tick=False):
        queue = make_queue("imaging", lead=lead)
        nurse = make_reviewer(queues=[queue], username="holder")
        case = case_in_review(intake_specialist)
        assert case_get_next(reviewer=nurse) == case
    assert case.due_at == RECEIVED + timedelta(days=7)
    return case, nurse


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """Run the beat task at a frozen time; e-mails queued after commit are sent."""

    def run(when: datetime) -> dict:
        with (
            time_machine.travel(when, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            return clocks_sweep.delay().get()

    return run


@pytest.mark.parametrize(
    ("elapsed", "at_risk"),
    [
        (timedelta(days=5), False),
        (timedelta(days=5, hours=6), False),  # exactly a quarter left
        (timedelta(days=5, hours=7), True),
        (timedelta(days=7), False),  # due: a breach, not at risk
    ],
)
def test_at_risk_is_less_than_a_quarter_of_the_time_left(
    elapsed, at_risk, intake_specialist, sweep
):
    case = make_case(actor=intake_specialist)
    CareRequest.objects.filter(pk=case.pk).update(
        received_at=RECEIVED, due_at=RECEIVED + timedelta(days=7)
    )
    swept = sweep(RECEIVED + elapsed)
    assert (swept["at_risk"] == 1) is at_risk
    case.refresh_from_db()
    assert (case.at_risk_notified_at is not None) is at_risk


def test_at_risk_notice_fires_once_to_assignee_and_lead(assigned, lead, sweep):
    case, nurse = assigned
    assert sweep(RECEIVED + timedelta(days=5))["at_risk"] == 0
    when = RECEIVED + timedelta(days=5, hours=12)
    results = [sweep(when + timedelta(minutes=5 * i)) for i in range(3)]
    assert [r["at_risk"] for r in results] == [1, 0, 0]
    case.refresh_from_db()
    assert case.at_risk_notified_at == when
    assert case.breach_notified_at is None
    notes = Notification.objects.order_by("user__username")
    assert [(n.user, n.kind, n.due_at) for n in notes] == [
        (nurse, "at_risk", case.due_at),
        (lead, "at_risk", case.due_at),
    ]
    assert notes[0].message == (
        f"Case {case.reference} is at risk of missing its due time (due in 36 h)."
    )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([lead.email, nurse.email])
    for message in mail.outbox:
        assert message.subject == (
            f"UM Portal: case {case.reference} is at risk of missing its due time"
        )
        assert "Due: Mon 9 Mar 2026, 10:00 EDT (due in 36 h)." in message.body
        assert case.member.last_name not in message.subject + message.body
        assert case.member.first_name not in message.subject + message.body
    assert all(n.emailed_at is not None for n in Notification.objects.all())
    [event] = AuditEvent.objects.filter(case_id=case.pk, action="clock.at_risk")
    assert event.data["notified"] == ["holder", "lead"]


def test_breach_notice_fires_once(assigned, sweep):
    case, _ = assigned
    after_due = case.due_at + timedelta(minutes=1)
    results = [sweep(after_due + timedelta(minutes=5 * i)) for i in range(3)]
    # Past due straight away: the breach notice, not a late at-risk one.
    assert [(r["breached"], r["at_risk"]) for r in results] == [(1, 0), (0, 0), (0, 0)]
    assert Notification.objects.filter(kind="breached").count() == 2
    assert Notification.objects.filter(kind="at_risk").count() == 0
    assert [m.subject for m in mail.outbox] == [
        f"UM Portal: case {case.reference} is past its due time"
    ] * 2
    assert AuditEvent.objects.filter(case_id=case.pk, action="clock.breached").count() == 1


def test_at_risk_then_breach_each_fire_once(assigned, sweep):
    case, _ = assigned
    times = [case.due_at - timedelta(hours=h) for h in (30, 20, 10)]
    times += [case.due_at + timedelta(hours=h) for h in (1, 2, 30)]
    results = [sweep(t) for t in times]
    assert [(r["at_risk"], r["breached"]) for r in results] == [
        (1, 0),
        (0, 0),
        (0, 0),
        (0, 1),
        (0, 0),
        (0, 0),
    ]
    assert len(mail.outbox) == 4


def test_a_pend_does_not_stop_the_clock(assigned, sweep):
    case, nurse = assigned
    with time_machine.travel(RECEIVED + timedelta(days=2), tick=False):
        care_request_request_info(
            care_request=case,
            actor=nurse,
            description="Send the therapy notes.",
            due_by=RECEIVED + timedelta(days=20),
        )
    case.refresh_from_db()
    assert (case.status, case.due_at) == ("pending_info", RECEIVED + timedelta(days=7))
    result = sweep(case.due_at + timedelta(minutes=1))
    assert result["breached"] == 1
    case.refresh_from_db()
    assert case.breach_notified_at is not None


def test_closed_cases_are_not_notified(assigned, intake_specialist, sweep):
    case, _ = assigned
    care_request_withdraw(care_request=case, actor=intake_specialist)
    result = sweep(case.due_at + timedelta(days=1))
    assert (result["at_risk"], result["breached"]) == (0, 0)
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_an_unassigned_case_without_a_lead_is_marked_but_tells_nobody(intake_specialist, sweep):
    with time_machine.travel(RECEIVED, tick=False):
        case = make_case(actor=intake_specialist)
    result = sweep(case.due_at + timedelta(minutes=1))
    assert result["breached"] == 1
    assert not Notification.objects.exists()
    event = AuditEvent.objects.get(case_id=case.pk, action="clock.breached")
    assert event.data["notified"] == []


def test_the_sweep_is_registered_with_beat():
    # What `celery beat` does at start: import the apps' task modules, then finalize the app.
    app.loader.import_default_modules()
    app.finalize(auto=True)
    schedule = {entry["task"]: entry["schedule"] for entry in app.conf.beat_schedule.values()}
    assert schedule["review.tasks.clocks_sweep"] == 300


# --- extensions ------------------------------------------------------------------------------


@pytest.fixture
def pended(assigned):
    case, nurse = assigned
    with time_machine.travel(RECEIVED + timedelta(days=1), tick=False):
        care_request_request_info(
            care_request=case,
            actor=nurse,
            description="Send the imaging report.",
            due_by=RECEIVED + timedelta(days=5),
        )
    return CareRequest.objects.get(pk=case.pk), nurse


def test_an_extension_moves_the_due_time_once_and_keeps_the_original(pended, intake_specialist):
    case, nurse = pended
    original = case.due_at
    case = care_request_extend(case=case, actor=nurse, days=14, reason="Member asked for time.")
    assert (case.due_at, case.original_due_at, case.extension_reason) == (
        original + timedelta(days=14),
        original,
        "Member asked for time.",
    )
    event = AuditEvent.objects.get(case_id=case.pk, action="clock.extended")
    assert (event.actor, event.data["days"], event.data["original_due_at"]) == (
        nurse,
        14,
        original.isoformat(),
    )
    with pytest.raises(InvalidTransition, match="once"):
        care_request_extend(case=case, actor=intake_specialist, days=1, reason="Again")
    case.refresh_from_db()
    assert case.due_at == original + timedelta(days=14)
    assert AuditEvent.objects.filter(action="clock.extended").count() == 1


@pytest.mark.parametrize(
    ("days", "reason", "field"),
    [(15, "Reason", "days"), (0, "Reason", "days"), ("3", "Reason", "days"), (3, "  ", "reason")],
)
def test_an_extension_needs_a_reason_and_at_most_14_days(pended, days, reason, field):
    case, nurse = pended
    with pytest.raises(ValidationFailed) as exc:
        care_request_extend(case=case, actor=nurse, days=days, reason=reason)
    assert list(exc.value.field_errors) == [field]
    case.refresh_from_db()
    assert (case.original_due_at, case.due_at) == (None, RECEIVED + timedelta(days=7))


def test_an_extension_only_while_pending_information(assigned):
    case, nurse = assigned
    with pytest.raises(InvalidTransition, match="waits for information"):
        care_request_extend(case=case, actor=nurse, days=5, reason="Reason")
    case.refresh_from_db()
    assert case.original_due_at is None


def test_a_provider_cannot_extend(pended, provider_user):
    case, _ = pended
    with pytest.raises(NotPermitted):
        care_request_extend(case=case, actor=provider_user, days=5, reason="Reason")
    assert not AuditEvent.objects.filter(action="clock.extended").exists()


def test_the_new_deadline_gets_its_own_notices(pended, sweep):
    case, nurse = pended
    assert sweep(case.due_at + timedelta(minutes=1))["breached"] == 1
    with time_machine.travel(case.due_at + timedelta(minutes=2), tick=False):
        case = care_request_extend(case=case, actor=nurse, days=7, reason="Waiting on records")
    assert (case.at_risk_notified_at, case.breach_notified_at) == (None, None)
    result = sweep(case.due_at + timedelta(minutes=1))
    assert result["breached"] == 1
    assert Notification.objects.filter(kind="breached", user=nurse).count() == 2


def test_an_email_lost_after_commit_is_sent_by_a_later_sweep(assigned, sweep):
    case, nurse = assigned
    when = case.due_at + timedelta(minutes=1)
    with time_machine.travel(when, tick=False):
        # The sweep's e-mail tasks never ran (a broker outage): no on-commit execution here.
        clocks_sweep.delay().get()
    assert mail.outbox == []
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 2
    assert sweep(when + timedelta(minutes=5))["emails_retried"] == 0  # not stale yet
    assert sweep(when + timedelta(minutes=15))["emails_retried"] == 2
    assert len(mail.outbox) == 2
    assert sweep(when + timedelta(minutes=30))["emails_retried"] == 0
    assert len(mail.outbox) == 2


def test_notifications_selector_shows_only_the_users_own(intake_specialist, nurse):
    case = make_case(actor=intake_specialist)
    mine = Notification.objects.create(
        user=nurse, care_request=case, kind="at_risk", due_at=case.due_at, message="m"
    )
    Notification.objects.create(
        user=intake_specialist, care_request=case, kind="at_risk", due_at=case.due_at, message="x"
    )
    assert notification_page_for_user(user=nurse).rows == [mine]
