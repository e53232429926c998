"""An administrative denial (benefit, eligibility, network) is a denial in the CMS-0057-F
counts, live and from the daily summaries (issue 19)."""

import pytest
from django.utils import timezone

from reports.rollup.build import rollup_rebuild, rollup_refresh
from reports.selectors.cms0057 import cms0057_report
from tests.determinations.admin_support import admin_case
from tests.determinations.test_administrative import issue

pytestmark = pytest.mark.django_db


def counts(report):
    s = report.standard
    return (s.decided, s.approved, s.partially_approved, s.denied)


def test_an_administrative_denial_counts_as_a_denial(intake_specialist, director, organization):
    case = admin_case(intake=intake_specialist, organization=organization)
    issue(case, intake_specialist)
    year, plan = timezone.localdate().year, case.coverage.plan
    assert counts(cms0057_report(year=year, plan=plan, live=True)) == (1, 0, 0, 1)
    assert counts(cms0057_report(year=year, plan=plan)) == (1, 0, 0, 1)  # today: computed
    rollup_rebuild()
    assert counts(cms0057_report(year=year, plan=plan)) == (1, 0, 0, 1)

    # One decided afterwards by a director (out of network) reaches the summaries on refresh.
    other = admin_case(intake=intake_specialist, organization=organization, status="md_review")
    from intake.models import CareRequest

    CareRequest.objects.filter(pk=other.pk).update(coverage=case.coverage)
    other.refresh_from_db()
    issue(other, director, reason="out_of_network")
    rollup_refresh()
    assert counts(cms0057_report(year=year, plan=plan)) == (2, 0, 0, 2)
    assert cms0057_report(year=year, plan=plan).standard.denied_pct == 100
