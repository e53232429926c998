"""Appeals in review's clock sweep: at-risk and breach notices once, to the assignee or, while
unassigned, the UM managers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from appeals.models import Appeal
from appeals.services.decide import appeal_assign
from review.models import Notification
from review.services.clocks import clocks_sweep_run

pytestmark = pytest.mark.django_db


def test_breached_appeal_notifies_the_assignee_once(
    denied_case, file_appeal, manager, appeal_director
):
    appeal = file_appeal(denied_case)
    appeal_assign(appeal=appeal, by=manager, to_user=appeal_director)
    later = appeal.due_at + timedelta(minutes=1)
    assert clocks_sweep_run(now=later)["appeals_breached"] == 1
    assert clocks_sweep_run(now=later)["appeals_breached"] == 0
    notice = Notification.objects.get(user=appeal_director)
    assert (notice.kind, notice.due_at) == ("breached", appeal.due_at)
    assert notice.message.startswith(f"Appeal {appeal.reference} is past its due time")


def test_at_risk_unassigned_appeal_notifies_the_managers(denied_case, file_appeal, manager):
    appeal = file_appeal(denied_case, expedited=True)
    nearly = appeal.due_at - timedelta(hours=10)  # 10 of 72 hours left: under a quarter
    counts = clocks_sweep_run(now=nearly)
    assert (counts["appeals_at_risk"], counts["appeals_breached"]) == (1, 0)
    assert list(Notification.objects.values_list("user", "kind")) == [(manager.pk, "at_risk")]
    assert Appeal.objects.get(pk=appeal.pk).at_risk_notified_at == nearly


def test_decided_appeal_is_not_swept(denied_case, file_appeal, manager):
    appeal = file_appeal(denied_case)
    Appeal.objects.filter(pk=appeal.pk).update(status="withdrawn")
    assert clocks_sweep_run(now=timezone.now() + timedelta(days=40))["appeals_breached"] == 0
