"""The CMS-0057-F report's "approved after appeal" counts real appeals (issue 12)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from appeals.services.decide import appeal_decide
from reports.selectors.cms0057 import cms0057_report
from tests.determinations.conftest import approve, deny

pytestmark = pytest.mark.django_db


def report():
    return cms0057_report(year=timezone.localdate().year, lob="medicare_advantage").standard


def test_overturned_and_partly_overturned_appeals_count_upheld_does_not(
    make_denied_case, file_appeal, appeal_director, criteria_set
):
    cases = [make_denied_case() for _ in range(4)]
    plans = [
        lambda lines: [approve(x) for x in lines],  # overturned
        lambda lines: [approve(lines[0]), deny(lines[1], criteria_set)],  # partly overturned
        lambda lines: [deny(x, criteria_set) for x in lines],  # upheld
    ]
    for case, plan in zip(cases, plans, strict=False):
        appeal = file_appeal(case)
        lines = [al.service_line for al in appeal.lines.all()]
        appeal_decide(appeal=appeal, director=appeal_director, line_decisions=plan(lines))
    file_appeal(cases[3])  # still open
    s = report()
    assert (s.decided, s.denied) == (4, 4)
    assert (s.approved_after_appeal, s.approved_after_appeal_pct) == (2, Decimal("50.0"))


def test_ire_reversal_counts_as_approved_after_appeal(
    denied_case, file_appeal, appeal_director, criteria_set, intake_specialist
):
    from appeals.models import Appeal
    from appeals.services.ire import appeal_forward_to_ire, appeal_record_ire_decision

    appeal = file_appeal(denied_case)
    appeal_decide(
        appeal=appeal,
        director=appeal_director,
        line_decisions=[deny(al.service_line, criteria_set) for al in appeal.lines.all()],
    )
    assert report().approved_after_appeal == 0
    appeal_forward_to_ire(appeal_id=appeal.pk)
    appeal_record_ire_decision(
        appeal=Appeal.objects.get(pk=appeal.pk),
        actor=intake_specialist,
        overturned=True,
        ire_reference="IRE-1",
    )
    assert report().approved_after_appeal == 1
