from datetime import UTC, datetime, timedelta

import pytest

from intake.models import LineOfBusiness, Priority
from intake.services.receipt import turnaround_due_at
from tests.factories import CoverageFactory, PlanFactory, make_case

RECEIVED = datetime(2026, 3, 7, 15, 30, tzinfo=UTC)  # the day before US DST starts


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lob", "priority", "expected"),
    [
        (LineOfBusiness.MEDICARE_ADVANTAGE, Priority.EXPEDITED, timedelta(hours=72)),
        (LineOfBusiness.MEDICARE_ADVANTAGE, Priority.STANDARD, timedelta(days=7)),
        (LineOfBusiness.MEDICAID, Priority.EXPEDITED, timedelta(hours=72)),
        (LineOfBusiness.MEDICAID, Priority.STANDARD, timedelta(days=7)),
        (LineOfBusiness.CHIP, Priority.EXPEDITED, timedelta(hours=72)),
        (LineOfBusiness.CHIP, Priority.STANDARD, timedelta(days=7)),
        (LineOfBusiness.EXCHANGE, Priority.EXPEDITED, timedelta(hours=72)),
        (LineOfBusiness.EXCHANGE, Priority.STANDARD, timedelta(days=7)),
        (LineOfBusiness.COMMERCIAL, Priority.EXPEDITED, timedelta(hours=72)),
        (LineOfBusiness.COMMERCIAL, Priority.STANDARD, timedelta(days=15)),
    ],
)
def test_due_date_for_each_line_of_business_and_priority(lob, priority, expected):
    assert (
        turnaround_due_at(line_of_business=lob, priority=priority, received_at=RECEIVED)
        == RECEIVED + expected
    )


@pytest.mark.django_db
def test_receipt_sets_received_and_due(intake_specialist):
    coverage = CoverageFactory(plan=PlanFactory(line_of_business=LineOfBusiness.MEDICAID))
    case = make_case(actor=intake_specialist, coverage=coverage, priority=Priority.EXPEDITED)
    assert case.status == "submitted"
    assert case.due_at - case.received_at == timedelta(hours=72)
    assert list(case.status_events.values_list("from_status", "to_status", "actor")) == [
        ("draft", "submitted", intake_specialist.pk)
    ]
