"""The daily summaries give exactly the live figures (timeliness, CMS-0057-F) on generated
data: with no summaries, after a rebuild, after changes the sweep has not seen yet, and after
the sweep; and they are really read (a doctored row shows)."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import OutputWrapper
from django.utils import timezone

from determinations.models import Letter
from intake.models import CareRequest, LineOfBusiness, Plan, ServiceCategory
from mailroom.models import MailPiece
from reports.filters import ReportFilters
from reports.models import DecisionDay, RollupState
from reports.rollup.build import rollup_rebuild, rollup_refresh
from reports.selectors.cms0057 import cms0057_report
from reports.selectors.timeliness import timeliness, timeliness_live
from um_portal.demo.bulk import bulk_cases
from um_portal.demo.steps import seed_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated():
    """~300 bulk cases over the last year, then letters made late, unsent or missing, so every
    timeliness column has cases in it."""
    seed_all(log=lambda msg: None)
    bulk_cases(count=300, out=OutputWrapper(StringIO()), seed=20)
    # Decision letters (the demo's extension notices hang on a case, not on a determination).
    letters = list(
        Letter.objects.filter(determination__isnull=False)
        .order_by("pk")
        .select_related("determination__care_request")
    )
    for i, letter in enumerate(letters):
        case = letter.determination.care_request
        if i % 7 == 0 and case.due_at:
            letter.delivered_at = case.due_at + timedelta(hours=5)  # delivered late
        elif i % 11 == 0:
            letter.delivered_at = None  # not delivered yet
        else:
            continue
        letter.save(update_fields=["delivered_at"])
    never_written = [letter.pk for letter in letters[3::13]]
    MailPiece.objects.filter(letter__in=never_written).delete()  # the demo batched some
    Letter.objects.filter(pk__in=never_written).delete()


def filter_sets():
    today = timezone.localdate()
    year_ago = today - timedelta(days=364)
    plan = Plan.objects.order_by("pk").first()
    category = ServiceCategory.objects.order_by("code").first()
    yield ReportFilters(start=year_ago, end=today)
    yield ReportFilters(start=today - timedelta(days=29), end=today)
    yield ReportFilters(start=year_ago, end=today - timedelta(days=40))
    yield ReportFilters(start=year_ago, end=today, plan=plan)
    yield ReportFilters(start=year_ago, end=today, lob=LineOfBusiness.MEDICAID)
    yield ReportFilters(start=year_ago, end=today, category=category)
    yield ReportFilters(start=year_ago, end=today, lob=plan.line_of_business, category=category)


def assert_equal_to_live():
    compared = 0
    for f in filter_sets():
        summary = timeliness(f)
        assert summary == timeliness_live(f), f.describe()
        compared += sum(row.decided for row in summary)
    this_year = timezone.localdate().year
    plan = Plan.objects.order_by("pk").first()
    for year in (this_year - 1, this_year):
        for scope in ({}, {"plan": plan}, {"lob": LineOfBusiness.COMMERCIAL}):
            summary = cms0057_report(year=year, **scope)
            live = cms0057_report(year=year, live=True, **scope)
            assert (summary.standard, summary.expedited) == (live.standard, live.expedited)
    assert compared > 200  # the data set really has decided, timed cases in the periods


def test_summaries_equal_the_live_figures_in_every_state(generated):
    assert_equal_to_live()  # no summaries yet: everything live

    rollup_rebuild()
    state = RollupState.objects.get()
    assert state.built_through == timezone.localdate() - timedelta(days=1)
    assert DecisionDay.objects.exists()
    assert_equal_to_live()  # stored days, today live

    # Changes the sweep has not seen: a letter sent late for a case decided weeks ago, a case
    # decided weeks ago voided. The reports find those days and compute them live.
    RollupState.objects.update(checked_at=timezone.now() - timedelta(hours=1))
    old = CareRequest.objects.filter(
        decided_at__lt=timezone.now() - timedelta(days=20), due_at__isnull=False
    ).exclude(determinations__letters__isnull=True)
    case = old.order_by("decided_at").last()
    now = timezone.now()
    Letter.objects.filter(determination__care_request=case).update(
        sent_at=now, delivered_at=now, delivery_recorded_at=now
    )
    assert_equal_to_live()

    rollup_refresh()
    assert RollupState.objects.get().checked_at > timezone.now() - timedelta(minutes=1)
    assert_equal_to_live()


def test_reports_read_the_stored_rows(generated):
    call_command("reports_rollup", "--rebuild", stdout=StringIO())
    f = ReportFilters(start=timezone.localdate() - timedelta(days=364), end=timezone.localdate())
    before = sum(row.decided for row in timeliness(f))
    row = DecisionDay.objects.filter(category__isnull=True, timed__gt=0).first()
    DecisionDay.objects.filter(pk=row.pk).update(timed=row.timed + 5)
    assert sum(r.decided for r in timeliness(f)) == before + 5


def test_refresh_adds_finished_days_and_rewrites_only_touched_ones(generated):
    rollup_rebuild(now=timezone.now() - timedelta(days=3))
    assert RollupState.objects.get().built_through == timezone.localdate() - timedelta(days=4)
    rollup_refresh()
    assert RollupState.objects.get().built_through == timezone.localdate() - timedelta(days=1)
    assert_equal_to_live()


def test_timeliness_summary_query_count_does_not_grow(generated, django_assert_num_queries):
    rollup_rebuild()
    f = ReportFilters(start=timezone.localdate() - timedelta(days=364), end=timezone.localdate())
    # State, changed days, stored rows, today's cases live.
    with django_assert_num_queries(4):
        timeliness(f)
    bulk_cases(count=100, out=OutputWrapper(StringIO()), seed=21)
    rollup_rebuild()
    with django_assert_num_queries(4):
        timeliness(f)
    # A past year: no live day, so no live query.
    last_year = date(timezone.localdate().year - 1, 1, 1)
    with django_assert_num_queries(3):
        timeliness(ReportFilters(start=last_year, end=last_year.replace(month=12, day=31)))
