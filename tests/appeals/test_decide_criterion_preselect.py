"""The decide pages (initial decision and appeal) preselect "The criterion that is not met" from
the nurse's answers, and tag every criterion with its set so the page can list only the chosen
set's criteria (static/js/decide-criteria.js; tests/e2e/test_decide_criteria_filter.py)."""

import re

import pytest

from determinations.forms import line_forms
from determinations.selectors import (
    criteria_sets_current,
    nurse_review_latest,
    nurse_unmet_criteria,
)
from review.models import CriteriaSet, Criterion, CriterionAnswer, NurseReview

pytestmark = pytest.mark.django_db


def nurse_answers(case, nurse, criteria_set, answers: dict[int, str]) -> NurseReview:
    """The nurse's review of every line as it was left: {criterion sequence: answer}."""
    review = NurseReview.objects.create(care_request=case, nurse=nurse, recommendation="refer")
    for line in case.service_lines.all():
        for criterion in criteria_set.criteria.all():
            CriterionAnswer.objects.create(
                nurse_review=review,
                service_line=line,
                criteria_set=criteria_set,
                criterion=criterion,
                answer=answers[criterion.sequence],
            )
    return review


@pytest.fixture
def other_set(db):
    cs = CriteriaSet.objects.create(slug="knee-arthroscopy", version=1, name="Knee arthroscopy")
    Criterion.objects.create(criteria_set=cs, sequence=1, text="Mechanical symptoms")
    return cs


def selected_option(html: str, select_name: str) -> str:
    select = re.search(rf'<select name="{select_name}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="([^"]*)"[^>]*selected', select)[0]


def test_decide_page_preselects_the_criterion_the_nurse_found_not_met(
    client_for, md_case, nurse, director, criteria_set, other_set
):
    nurse_answers(md_case, nurse, criteria_set, {1: "met", 2: "not_met"})
    red_flags = criteria_set.criteria.get(sequence=2)

    html = client_for(director).get(f"/determinations/cases/{md_case.pk}/decide/").content.decode()

    for line in ("line-1", "line-2"):
        assert selected_option(html, f"{line}-criteria_set") == str(criteria_set.pk)
        assert selected_option(html, f"{line}-criterion") == str(red_flags.pk)
    # Every criterion names its set, for the page to list only the chosen set's criteria.
    knee = other_set.criteria.get()
    assert f'<option value="{knee.pk}" data-set="{other_set.pk}">' in html
    assert 'src="/static/js/decide-criteria.js"' in html


def test_not_documented_is_the_fallback_and_met_answers_preselect_nothing(
    md_case, nurse, criteria_set
):
    nurse_answers(md_case, nurse, criteria_set, {1: "not_documented", 2: "met"})
    unmet = nurse_unmet_criteria(nurse_review_latest(md_case))
    first = criteria_set.criteria.get(sequence=1)
    assert unmet == {line.pk: first for line in md_case.service_lines.all()}

    NurseReview.objects.all().delete()
    nurse_answers(md_case, nurse, criteria_set, {1: "met", 2: "met"})
    assert nurse_unmet_criteria(nurse_review_latest(md_case)) == {}
    assert nurse_unmet_criteria(None) == {}


def test_a_criterion_of_a_retired_set_is_not_preselected(md_case, nurse, criteria_set):
    nurse_answers(md_case, nurse, criteria_set, {1: "not_met", 2: "met"})
    CriteriaSet.objects.filter(pk=criteria_set.pk).update(is_current=False)
    forms = line_forms(
        None,
        list(md_case.service_lines.all()),
        reasons=[],
        criteria_sets=criteria_sets_current(),
        unmet=nurse_unmet_criteria(nurse_review_latest(md_case)),
    )
    assert [f["criterion"].value() for f in forms] == [None, None]


def test_appeal_decide_page_preselects_the_criterion_the_nurse_found_not_met(
    client_for, appeal_director, denied_case, file_appeal, nurse, criteria_set
):
    nurse_answers(denied_case, nurse, criteria_set, {1: "not_met", 2: "met"})
    therapy = criteria_set.criteria.get(sequence=1)
    appeal = file_appeal(denied_case)

    html = client_for(appeal_director).get(f"/appeals/{appeal.pk}/decide/").content.decode()

    assert selected_option(html, "line-1-criteria_set") == str(criteria_set.pk)
    assert selected_option(html, "line-1-criterion") == str(therapy.pk)
    assert 'src="/static/js/decide-criteria.js"' in html
