"""Who may decide an appeal: a physician who made neither the decision under appeal nor a
reopening of it, of the service's specialty or a similar one (42 CFR 422.590(h)(2))."""

import pytest

from appeals.models import Appeal, AppealEvent
from appeals.permissions import eligible_deciders
from appeals.services.decide import appeal_assign, appeal_decide, appeal_prepare
from determinations.models import Determination
from determinations.services import determination_issue, determination_reopen
from review.models import SpecialtyGroup
from tests.appeals.conftest import physician
from tests.determinations.conftest import approve
from um_portal.lib.errors import NotPermitted, ValidationFailed

pytestmark = pytest.mark.django_db


def overturn_all(appeal):
    return [approve(al.service_line) for al in appeal.lines.all()]


def assert_refused(appeal, user, message):
    before = (Determination.objects.count(), AppealEvent.objects.count())
    with pytest.raises(NotPermitted) as excinfo:
        appeal_decide(appeal=appeal, director=user, line_decisions=overturn_all(appeal))
    assert excinfo.value.message == message
    assert (Determination.objects.count(), AppealEvent.objects.count()) == before
    assert Appeal.objects.get(pk=appeal.pk).status == "received"


def test_original_director_is_refused(denied_case, file_appeal, director):
    assert_refused(
        file_appeal(denied_case),
        director,
        "You made the decision under appeal (or a reopening of it): another physician must "
        "decide the appeal.",
    )


def test_nurse_is_refused(denied_case, file_appeal, nurse):
    assert_refused(
        file_appeal(denied_case), nurse, "Only a medical director (physician) may decide an appeal."
    )


def test_director_of_another_specialty_is_refused(denied_case, file_appeal, cardiologist):
    assert_refused(
        file_appeal(denied_case),
        cardiologist,
        "Your recorded specialty (Cardiology) is neither Orthopedic surgery nor a similar "
        "specialty.",
    )


def test_author_of_a_reopening_is_refused(
    make_denied_case, file_appeal, appeal_director, criteria_set
):
    from tests.determinations.conftest import deny

    case = make_denied_case()
    # appeal_director reopened the initial decision and denied again: no longer independent.
    determination_reopen(case=case, director=appeal_director, reason="Peer-to-peer call held.")
    determination_issue(
        case=case,
        director=appeal_director,
        line_decisions=[deny(line, criteria_set) for line in case.service_lines.all()],
        kind="reopening",
    )
    assert_refused(
        file_appeal(case),
        appeal_director,
        "You made the decision under appeal (or a reopening of it): another physician must "
        "decide the appeal.",
    )


def test_similar_specialty_group_makes_a_physician_eligible(denied_case, file_appeal):
    sports = physician("sports", "Sports medicine")
    appeal = file_appeal(denied_case)
    assert list(eligible_deciders(appeal)) == []
    SpecialtyGroup.objects.create(
        name="Musculoskeletal", specialties=["Orthopedic Surgery", "Sports medicine"]
    )
    assert list(eligible_deciders(appeal)) == [sports]
    appeal_decide(appeal=appeal, director=sports, line_decisions=overturn_all(appeal))
    assert Appeal.objects.get(pk=appeal.pk).status == "decided_overturned"


def test_routing_offers_only_eligible_physicians(
    denied_case, file_appeal, director, appeal_director, cardiologist
):
    assert list(eligible_deciders(file_appeal(denied_case))) == [appeal_director]


def test_manager_assigns_an_eligible_physician_and_is_refused_an_ineligible_one(
    denied_case, file_appeal, manager, director, appeal_director
):
    appeal = file_appeal(denied_case)
    with pytest.raises(ValidationFailed) as excinfo:
        appeal_assign(appeal=appeal, by=manager, to_user=director)
    assert excinfo.value.field_errors == {
        "assignee": [
            "You made the decision under appeal (or a reopening of it): another physician "
            "must decide the appeal."
        ]
    }
    assert Appeal.objects.get(pk=appeal.pk).assigned_to is None
    appeal_assign(appeal=appeal, by=manager, to_user=appeal_director)
    assert Appeal.objects.get(pk=appeal.pk).assigned_to == appeal_director


def test_nurse_without_a_queue_may_not_assign(denied_case, file_appeal, nurse, appeal_director):
    with pytest.raises(NotPermitted):
        appeal_assign(appeal=file_appeal(denied_case), by=nurse, to_user=appeal_director)


def test_nurse_prepares_the_case_file_but_cannot_decide(denied_case, file_appeal, nurse):
    appeal = appeal_prepare(
        appeal=file_appeal(denied_case), actor=nurse, summary="Eight weeks of therapy documented."
    )
    assert (appeal.status, appeal.case_summary) == (
        "in_review",
        "Eight weeks of therapy documented.",
    )
    with pytest.raises(NotPermitted):
        appeal_decide(appeal=appeal, director=nurse, line_decisions=overturn_all(appeal))
    assert Appeal.objects.get(pk=appeal.pk).status == "in_review"
