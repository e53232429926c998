"""The faster report queries give exactly what the queries they replaced gave.

`time_to_decision` now computes the per-priority "all lines" rows in the same query as the
priority × line of business rows (GROUPING SETS on PostgreSQL), and `timeliness` counts notified
cases by joining the letters instead of two IN-subqueries. The replaced computations are kept
below, verbatim, and both are run on a varied dataset: ties, empty groups, cases with no, one or
several letters (unsent, sent early, exactly at the deadline, late), appeals, both priorities,
four lines of business and periods across month ends and the DST change.
"""

import random
from datetime import date, timedelta

import pytest
from django.db.models import Count, DateField, F, Q
from django.db.models.functions import Trunc

from determinations.models import Letter
from intake.models import LineOfBusiness, Priority, ServiceCategory
from reports.filters import ReportFilters
from reports.selectors import timeliness, volumes
from reports.selectors.scope import decided_in_period
from reports.selectors.stats import duration_stats
from tests.factories import CoverageFactory, PlanFactory
from tests.reports.conftest import EXPEDITED, STANDARD, H, determine, event, local, make

# --- the computations that were replaced ---------------------------------------------------


def old_time_to_decision(filters: ReportFilters, *, in_database=None):
    qs = decided_in_period(filters)
    lob_field = "coverage__plan__line_of_business"
    by_lob = duration_stats(qs, group_by=("priority", lob_field), in_database=in_database)
    by_priority = duration_stats(qs, group_by=("priority",), in_database=in_database)
    rows = []
    for priority in Priority:
        if (priority.value,) not in by_priority:
            continue
        for lob in LineOfBusiness:
            stats = by_lob.get((priority.value, lob.value))
            if stats:
                rows.append(
                    volumes.TimeToDecisionRow(priority, priority.label, lob, lob.label, stats)
                )
        rows.append(
            volumes.TimeToDecisionRow(
                priority, priority.label, "", "All lines", by_priority[(priority.value,)]
            )
        )
    return rows


def _old_notified_q(filters: ReportFilters, *, on_time: bool) -> Q:
    letters = Letter.objects.filter(
        delivered_at__isnull=False,
        determination__care_request__decided_at__gte=filters.start_at,
        determination__care_request__decided_at__lt=filters.end_at,
    )
    if on_time:
        letters = letters.filter(delivered_at__lte=F("determination__care_request__due_at"))
    return Q(pk__in=letters.values("determination__care_request_id"))


def old_timeliness(filters: ReportFilters):
    lob_field = timeliness.LOB_FIELD
    rows = (
        decided_in_period(filters)
        .filter(due_at__isnull=False, received_at__isnull=False)
        .annotate(month=Trunc("decided_at", "month", output_field=DateField()))
        .values("month", "priority", lob_field)
        .annotate(
            n=Count("pk"),
            on_time=Count("pk", filter=Q(decided_at__lte=F("due_at"))),
            notified=Count("pk", filter=_old_notified_q(filters, on_time=False)),
            notified_on_time=Count("pk", filter=_old_notified_q(filters, on_time=True)),
        )
        .order_by("month", "priority", lob_field)
    )
    return [
        timeliness.TimelinessRow(
            month=row["month"],
            priority=row["priority"],
            lob=row[lob_field],
            decided=row["n"],
            on_time=row["on_time"],
            notified_on_time=row["notified_on_time"],
            notified_late=row["notified"] - row["notified_on_time"],
            not_notified=row["n"] - row["notified"],
        )
        for row in rows
    ]


# --- a varied dataset ----------------------------------------------------------------------

# Few distinct durations, so medians and 90th percentiles fall on ties and between equal
# neighbours; the odd seconds exercise the interpolation and the rounding to whole seconds.
DURATIONS = [H / 2, 10 * H, 24 * H, 24 * H, 48 * H, 72 * H, 72 * H, 168 * H, 200 * H]
ODD = [timedelta(hours=5, minutes=7, seconds=13), timedelta(days=3, seconds=1, microseconds=5)]
DECIDED = ["approved", "approved", "partially_approved", "denied", "closed_no_auth_required"]


@pytest.fixture
def varied(dataset, nurse, director):
    """The hand-built `dataset` plus 140 generated cases, January to April 2025, in four lines
    of business: CHIP has expedited cases only and Commercial none before April (empty groups)."""
    rng = random.Random(20250310)
    chip = CoverageFactory(plan=PlanFactory(name="Bay CHIP", line_of_business=LineOfBusiness.CHIP))
    commercial = CoverageFactory(
        plan=PlanFactory(name="Acme Commercial", line_of_business=LineOfBusiness.COMMERCIAL)
    )
    coverages = [
        CoverageFactory(plan=dataset.ma_plan),
        CoverageFactory(plan=dataset.medicaid_plan),
        chip,
        commercial,
    ]
    for n in range(140):
        coverage = rng.choice(coverages)
        priority = "expedited" if coverage is chip else rng.choice(["standard", "expedited"])
        received = local(2025, 1, 2, 8, 0) + timedelta(days=rng.randrange(110), hours=n % 7)
        if coverage is commercial and received < local(2025, 4, 1):
            received += timedelta(days=90)
        clock = EXPEDITED if priority == "expedited" else STANDARD
        due = received + clock
        status = rng.choice([*DECIDED, "withdrawn", "nurse_review"])
        decided = None
        if status in DECIDED:
            took = rng.choice(DURATIONS + ODD + [clock])  # `clock`: exactly at the deadline
            decided = received + took
        case = make(
            coverage,
            status=status,
            priority=priority,
            received=received,
            due=due,
            decided=decided,
            category_code=rng.choice(["imaging", "surgery", "office-visit"]),
        )
        event(case, "submit", "submitted", received, from_status="draft")
        if rng.random() < 0.2:
            event(case, "request_info", "pending_info", received + H)
        if decided is None or rng.random() < 0.15:
            continue  # no determination, no letter
        sent = rng.choice([None, decided + H, due, due + H, decided + 2 * H])
        source = "rules" if status == "approved" and rng.random() < 0.3 else "nurse"
        initial = determine(
            case,
            source="intake" if status == "closed_no_auth_required" else source,
            by=None if source == "rules" else nurse,
            outcome="not_required" if status == "closed_no_auth_required" else status,
            letter=sent,
        )
        if sent is None and rng.random() < 0.5:
            Letter.objects.create(
                determination=initial, recipient="provider", template="approval", status="pending"
            )
        if rng.random() < 0.4:  # a second letter, to the member, sent at another time
            Letter.objects.create(
                determination=initial,
                recipient="member",
                template="approval",
                status="sent",
                delivered_at=rng.choice([decided + 3 * H, due, due + 5 * H]),
            )
        if status == "denied" and rng.random() < 0.5:
            appeal = determine(
                case,
                source="physician",
                by=director,
                kind="appeal",
                outcome="approved",
                at=decided + 20 * 24 * H,
                letter=decided + 20 * 24 * H + H,
            )
            appeal.previous = initial
            appeal.save(update_fields=["previous"])
    return dataset


def periods(dataset) -> list[ReportFilters]:
    surgery = ServiceCategory.objects.get(code="surgery")
    year = {"start": date(2025, 1, 1), "end": date(2025, 6, 30)}
    return [
        ReportFilters(**year, granularity="week"),
        ReportFilters(start=date(2025, 3, 1), end=date(2025, 3, 31)),
        ReportFilters(start=date(2025, 2, 15), end=date(2025, 3, 15)),  # across the month end
        *(ReportFilters(**year, lob=lob) for lob in LineOfBusiness.values),
        ReportFilters(**year, plan=dataset.medicaid_plan),
        ReportFilters(**year, category=surgery),
        ReportFilters(**year, lob=LineOfBusiness.MEDICAID, category=surgery),
        ReportFilters(start=date(2020, 1, 1), end=date(2020, 1, 31)),  # nothing at all
    ]


def test_the_varied_dataset_has_the_awkward_cases(varied):
    """Guard the dataset itself, so the comparisons below keep something to catch."""
    decided = decided_in_period(ReportFilters(start=date(2025, 1, 1), end=date(2025, 6, 30)))
    letters = Letter.objects.filter(determination__care_request__in=decided)
    per_case = decided.annotate(sent=Count("determinations__letters__delivered_at"))
    assert per_case.filter(sent=0).count() >= 10
    assert per_case.filter(sent__gte=2).count() >= 10
    assert letters.filter(delivered_at__isnull=True).exists()
    assert letters.filter(delivered_at=F("determination__care_request__due_at")).exists()
    assert letters.filter(delivered_at__gt=F("determination__care_request__due_at")).exists()
    assert decided.filter(decided_at=F("due_at")).exists()
    assert decided.filter(priority="standard", coverage__plan__line_of_business="chip").count() == 0
    lobs = set(decided.values_list("coverage__plan__line_of_business", flat=True))
    assert lobs == {"medicare_advantage", "medicaid", "chip", "commercial"}


def test_time_to_decision_matches_the_two_query_version(varied):
    for filters in periods(varied):
        assert volumes.time_to_decision(filters) == old_time_to_decision(filters), filters


def test_time_to_decision_in_python_matches_the_two_query_version(varied):
    for filters in periods(varied):
        new = volumes.time_to_decision(filters, in_database=False)
        assert new == old_time_to_decision(filters, in_database=False), filters


def test_grouping_sets_match_the_two_query_version_and_python(varied, require_postgres):
    for filters in periods(varied):
        in_db = volumes.time_to_decision(filters, in_database=True)
        assert in_db == old_time_to_decision(filters, in_database=True), filters
        assert in_db == volumes.time_to_decision(filters, in_database=False), filters


def test_subtotals_need_a_leading_part_of_the_grouping(db):
    from intake.models import CareRequest

    with pytest.raises(ValueError):
        duration_stats(
            CareRequest.objects.all(), group_by=("priority", "status"), subtotal_by=("status",)
        )


def test_timeliness_matches_the_in_subquery_version(varied):
    compared = 0
    for filters in periods(varied):
        new = timeliness.timeliness(filters)
        assert new == old_timeliness(filters), filters
        compared += len(new)
    assert compared > 40
