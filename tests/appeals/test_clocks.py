"""The appeal clock per line of business × pre/post-service × priority (admin data seeded by
determinations.0005)."""

from datetime import timedelta

import pytest

from appeals.models import Appeal
from determinations.models import AppealTurnaround
from intake.models import CareRequest

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)
HOURS_72 = timedelta(hours=72)


@pytest.mark.parametrize(
    ("lob", "request_type", "expedited", "due_in"),
    [
        ("medicare_advantage", "prospective", False, 30 * DAY),
        ("medicare_advantage", "prospective", True, HOURS_72),
        ("medicare_advantage", "retrospective", False, 60 * DAY),
        ("medicaid", "prospective", False, 30 * DAY),
        ("medicaid", "prospective", True, HOURS_72),
        ("medicaid", "retrospective", False, 30 * DAY),
        ("commercial", "prospective", False, 30 * DAY),
        ("commercial", "retrospective", False, 60 * DAY),
        ("commercial", "prospective", True, HOURS_72),
    ],
)
def test_due_at_follows_the_line_of_business(
    make_denied_case, file_appeal, lob, request_type, expedited, due_in
):
    case = make_denied_case(lob=lob)
    CareRequest.objects.filter(pk=case.pk).update(request_type=request_type)
    appeal = file_appeal(case, expedited=expedited)
    assert appeal.due_at - appeal.received_at == due_in
    assert appeal.service_timing == (
        "post_service" if request_type == "retrospective" else "pre_service"
    )


def test_the_clock_is_admin_data(make_denied_case, file_appeal):
    AppealTurnaround.objects.filter(
        line_of_business="medicaid", service_timing="pre_service", priority="standard"
    ).update(hours=14 * 24)
    appeal = file_appeal(make_denied_case(lob="medicaid"))
    assert appeal.due_at - appeal.received_at == 14 * DAY
    assert Appeal.objects.get(pk=appeal.pk).line_of_business == "medicaid"
