"""The director's decide page, in Chromium: "The criterion that is not met" arrives preselected
from the nurse's answer, and lists only the criteria of the set chosen above it."""

import pytest

from tests.appeals.test_decide_criterion_preselect import nurse_answers
from tests.determinations.conftest import criteria_set, make_md_case, md_case, reference_data
from tests.e2e.conftest import login

__all__ = ["criteria_set", "make_md_case", "md_case", "reference_data"]  # fixtures

PICKED = "select => select.selectedOptions[0].textContent"
LISTED = """select => [...select.options]
    .filter(o => o.value && !o.hidden && !o.disabled && !o.parentElement.hidden)
    .map(o => o.textContent)"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_criterion_is_preselected_and_listed_for_the_chosen_set_only(
    reference_data, page, settings, tmp_path, md_case, nurse, director, criteria_set
):
    from review.models import CriteriaSet, Criterion

    settings.MEDIA_ROOT = tmp_path / "media"
    knee = CriteriaSet.objects.create(slug="knee-arthroscopy", version=1, name="Knee arthroscopy")
    Criterion.objects.create(criteria_set=knee, sequence=1, text="Mechanical symptoms")
    nurse_answers(md_case, nurse, criteria_set, {1: "met", 2: "not_met"})

    login(page, "director")
    page.goto(f"/determinations/cases/{md_case.pk}/decide/")
    line = page.get_by_role("group", name="Line 1")
    chosen_set = line.get_by_label("Criteria the decision rests on")
    criterion = line.get_by_label("The criterion that is not met")

    assert criterion.evaluate(PICKED) == "2. Red-flag symptoms present"
    assert criterion.evaluate(LISTED) == [
        "1. Six weeks of conservative therapy documented",
        "2. Red-flag symptoms present",
    ]

    chosen_set.select_option(label="Knee arthroscopy (version 1)")
    assert criterion.input_value() == ""  # the lumbar criterion no longer fits
    assert criterion.evaluate(LISTED) == ["1. Mechanical symptoms"]

    # No set chosen: every criterion is offered, and picking one chooses its set.
    chosen_set.select_option(label="—")
    assert len(criterion.evaluate(LISTED)) == 3
    criterion.select_option(label="1. Six weeks of conservative therapy documented")
    assert chosen_set.evaluate(PICKED) == ("Advanced imaging of the lumbar spine (version 3)")
    assert criterion.evaluate(LISTED) == [
        "1. Six weeks of conservative therapy documented",
        "2. Red-flag symptoms present",
    ]
