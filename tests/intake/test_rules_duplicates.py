"""Duplicate detection: same member, same service, overlapping dates, open or approved."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string

from intake.models import CareRequest, DuplicateFlag, ServiceLine
from intake.rules.selectors import care_request_duplicates, rules_panel_context
from intake.services.receipt import care_request_submit
from intake.services.workflow import care_request_withdraw
from tests.factories import CoverageFactory, make_case
from tests.intake.rules_support import auto_rule

pytestmark = pytest.mark.django_db


def resubmit(original: CareRequest, actor, *, shift_days: int = 0, code: str | None = None):
    draft = make_case(actor=actor, coverage=original.coverage, code=code or "72148", submit=False)
    line = original.service_lines.get()
    ServiceLine.objects.filter(care_request=draft).update(
        start_date=line.start_date + timedelta(days=shift_days),
        end_date=line.end_date + timedelta(days=shift_days),
    )
    return care_request_submit(care_request=draft, actor=actor)


def test_an_overlapping_request_for_the_same_service_is_flagged(intake_specialist):
    first = make_case(actor=intake_specialist)
    second = resubmit(first, intake_specialist, shift_days=10)
    [flag] = DuplicateFlag.objects.all()
    assert (flag.care_request, flag.other, flag.code_system, flag.code) == (
        second,
        first,
        "cpt",
        "72148",
    )
    assert (
        f"Possible duplicate of {first.reference} (Submitted): same member, CPT 72148, "
        f"overlapping dates." in second.rule_evaluations.get().explanation
    )
    # Seen from either case, the other one is named.
    assert [m.other for m in care_request_duplicates(second)] == [first]
    assert [m.other for m in care_request_duplicates(first)] == [second]


@pytest.mark.parametrize("difference", ["later_dates", "other_code", "other_member", "withdrawn"])
def test_not_a_duplicate(intake_specialist, difference):
    first = make_case(actor=intake_specialist)
    if difference == "later_dates":
        resubmit(first, intake_specialist, shift_days=30)
    elif difference == "other_code":
        resubmit(first, intake_specialist, code="72149")
    elif difference == "other_member":
        make_case(actor=intake_specialist, coverage=CoverageFactory())
    else:
        care_request_withdraw(care_request=first, actor=intake_specialist)
        resubmit(first, intake_specialist)
    assert not DuplicateFlag.objects.exists()


def test_a_possible_duplicate_of_an_approval_is_never_auto_approved(intake_specialist):
    auto_rule()
    first = make_case(actor=intake_specialist)
    assert first.status == "approved"
    second = resubmit(first, intake_specialist)
    assert second.status == "submitted"
    # No queue exists in this test, so the duplicate is the last word.
    assert second.rule_evaluations.get().explanation[-1] == (
        "Not auto-approved: intake must first rule out the possible duplicate."
    )
    assert second.auth_number == ""


def test_the_rules_panel_shows_evaluations_and_duplicates(
    intake_specialist, django_assert_num_queries
):
    first = make_case(actor=intake_specialist)
    second = resubmit(first, intake_specialist)
    with django_assert_num_queries(2):
        context = rules_panel_context(second)
    html = render_to_string("intake/includes/rules_panel.html", context)
    assert first.reference in html
    assert "Possible duplicate" in html
    assert "Receipt: Left for intake" in html
    assert "Line 1 (CPT 72148): authorization required" in html
