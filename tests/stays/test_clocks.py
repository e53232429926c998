"""Clocks by kind of review (intake.TurnaroundStandard rows loaded by a data migration):
concurrent 24 h / 72 h by when the extension is asked, MA and Medicaid 72 h; retrospective on the
post-service clock of the line of business, never expedited."""

import pytest

from intake.models import LineOfBusiness, TurnaroundStandard
from stays.services import stay_request_extension
from tests.stays.conftest import admit, approve_days, coverage_for, retro

LOB = LineOfBusiness


def due_hours(case) -> float:
    return (case.due_at - case.received_at).total_seconds() / 3600


@pytest.mark.django_db
@pytest.mark.parametrize(
    "lob", [LOB.COMMERCIAL, LOB.EXCHANGE, LOB.MEDICARE_ADVANTAGE, LOB.MEDICAID, LOB.CHIP]
)
def test_admission_review_is_urgent_and_due_in_72_hours(intake_specialist, facility, lob):
    stay = admit(actor=intake_specialist, facility=facility, coverage=coverage_for(lob))
    case = stay.reviews.get().care_request
    assert (case.request_type, case.priority, due_hours(case)) == ("concurrent", "expedited", 72)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lob", "days_left", "hours"),
    [
        # Asked with 2 approved days still ahead: at least 24 h before they run out.
        (LOB.COMMERCIAL, 2, 24),
        (LOB.EXCHANGE, 2, 24),
        # Asked on the last covered day: less than 24 h before they run out.
        (LOB.COMMERCIAL, 0, 72),
        (LOB.EXCHANGE, 0, 72),
        # Medicare Advantage and Medicaid: their expedited 72 h either way.
        (LOB.MEDICARE_ADVANTAGE, 2, 72),
        (LOB.MEDICAID, 2, 72),
    ],
)
def test_continued_stay_clock_depends_on_when_the_extension_is_asked(
    intake_specialist, facility, lob, days_left, hours
):
    # Admitted today with (days_left + 1) days approved: the last covered day is days_left away.
    stay = admit(
        actor=intake_specialist,
        facility=facility,
        coverage=coverage_for(lob),
        days=days_left + 1,
        hours_ago=0,
    )
    approve_days(stay.reviews.get().care_request)
    case = stay_request_extension(
        actor=intake_specialist, stay=stay, requested_days=3, channel="phone"
    )
    assert due_hours(case) == hours
    review = case.stay_review
    assert (review.sequence, review.extends_id) == (2, stay.reviews.get(sequence=1).care_request_id)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lob", "days"),
    [
        (LOB.COMMERCIAL, 30),
        (LOB.EXCHANGE, 30),
        (LOB.MEDICARE_ADVANTAGE, 60),
        (LOB.MEDICAID, 30),
    ],
)
def test_retrospective_request_runs_the_post_service_clock(intake_specialist, lob, days):
    case = retro(intake_specialist, lob)
    assert (case.request_type, due_hours(case), case.claim_number) == (
        "retrospective",
        days * 24,
        "CLM-2026-0001",
    )


@pytest.mark.django_db
def test_retrospective_request_is_never_expedited(intake_specialist):
    case = retro(intake_specialist, LOB.COMMERCIAL, priority="expedited")
    assert (case.priority, due_hours(case)) == ("standard", 30 * 24)


@pytest.mark.django_db
def test_commercial_post_service_clock_allows_one_15_day_extension_as_data():
    row = TurnaroundStandard.objects.get(
        line_of_business=LOB.COMMERCIAL, request_type="retrospective"
    )
    assert (row.hours, row.extension_days) == (720, 15)


@pytest.mark.django_db
def test_a_changed_clock_row_changes_the_due_time(intake_specialist):
    TurnaroundStandard.objects.filter(
        line_of_business=LOB.COMMERCIAL, request_type="retrospective"
    ).update(hours=100)
    assert due_hours(retro(intake_specialist, LOB.COMMERCIAL)) == 100
