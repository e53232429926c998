"""A nurse approves the lines whose criteria are met and refers only the others; the physician
decides the referred lines and may not undo the nurse's approval (nor may the nurse deny)."""

import pytest
from django.urls import reverse

from determinations.models import Determination, LineDecision
from determinations.services import LineDecisionInput, determination_issue
from intake.models import CareRequest, ServiceLine
from intake.models.care_request import CareRequestStatus as S
from review.selectors.criteria import criteria_set_for_line_map
from review.services.nurse_review import (
    AnswerInput,
    care_request_refer_to_director,
    nurse_review_save_answers,
)
from um_portal.lib.errors import ValidationFailed

from .conftest import answer_all

pytestmark = pytest.mark.django_db


def answer_line_one_met_line_two_not(case, nurse):
    lines = list(case.service_lines.order_by("sequence"))
    criteria = criteria_set_for_line_map(lines)
    answers = []
    for line in lines:
        for i, criterion in enumerate(criteria[line.pk].criteria.all()):
            answer = "not_met" if line.sequence == 2 and i == 0 else "met"
            answers.append(AnswerInput(line.pk, criterion.pk, answer, "Office note."))
    nurse_review_save_answers(care_request=case, nurse=nurse, answers=answers)
    return lines


def refer(case, nurse, **kwargs):
    return care_request_refer_to_director(
        care_request=case,
        nurse=nurse,
        summary="Line two lacks documented therapy.",
        recommendation="Consider a peer-to-peer call for line two.",
        **kwargs,
    )


def test_nurse_approves_the_met_line_and_refers_only_the_other(review_case, nurse):
    case = review_case(lines=2, assign_to=nurse)
    answer_line_one_met_line_two_not(case, nurse)
    referred = refer(case, nurse, approve_met_lines=True)
    assert referred.status == S.MD_REVIEW
    decisions = dict(case.service_lines.values_list("sequence", "decision"))
    assert decisions == {1: ServiceLine.Decision.APPROVED, 2: ServiceLine.Decision.PENDING}
    assert referred.auth_number.startswith("A")
    assert Determination.objects.count() == 0  # no adverse decision, no letter yet


def test_partial_approval_is_refused_when_every_line_is_met(review_case, nurse):
    case = review_case(lines=2)
    answer_all(case, nurse, "met")
    with pytest.raises(ValidationFailed) as exc:
        refer(case, nurse, approve_met_lines=True)
    assert "approve_met_lines" in exc.value.field_errors
    assert CareRequest.objects.get(pk=case.pk).status == S.NURSE_REVIEW
    assert not case.service_lines.exclude(decision="pending").exists()


def test_partial_approval_is_refused_when_no_line_is_met(review_case, nurse):
    case = review_case(lines=2)
    answer_all(case, nurse, "not_met")
    with pytest.raises(ValidationFailed):
        refer(case, nurse, approve_met_lines=True)
    assert not case.service_lines.exclude(decision="pending").exists()


def test_director_decides_only_the_referred_line_and_the_approval_stands(
    review_case, nurse, director, criteria_sets
):
    case = review_case(lines=2, assign_to=nurse)
    lines = answer_line_one_met_line_two_not(case, nurse)
    refer(case, nurse, approve_met_lines=True)
    # Undoing the nurse's approval would be an adverse decision the referral never asked for.
    with pytest.raises(ValidationFailed) as exc:
        determination_issue(
            case=case,
            director=director,
            line_decisions=[
                LineDecisionInput(service_line=lines[0], outcome="denied"),
                LineDecisionInput(service_line=lines[1], outcome="approved"),
            ],
        )
    assert "lines[1].outcome" in exc.value.field_errors
    determination = determination_issue(
        case=case,
        director=director,
        line_decisions=[
            LineDecisionInput(
                service_line=lines[1],
                outcome="denied",
                reason_code="not_med_necessary",
                rationale="The records show only two weeks of physical therapy and no trial of "
                "anti-inflammatory medicine before this request was made.",
                criteria_set=criteria_set_for_line_map([lines[1]])[lines[1].pk],
                criterion=criteria_set_for_line_map([lines[1]])[lines[1].pk].criteria.first(),
            )
        ],
    )
    assert determination.outcome == Determination.Outcome.PARTIALLY_APPROVED
    outcomes = dict(
        LineDecision.objects.filter(determination=determination).values_list(
            "service_line__sequence", "outcome"
        )
    )
    assert outcomes == {1: "approved", 2: "denied"}


def test_refer_form_offers_partial_approval_and_the_page_shows_it_to_the_director(
    client_for, review_case, nurse, director
):
    case = review_case(lines=2, assign_to=nurse)
    answer_line_one_met_line_two_not(case, nurse)
    response = client_for(nurse).post(
        reverse("review:refer", args=[case.pk]),
        {
            "summary": "Line two lacks documented therapy.",
            "recommendation": "Peer-to-peer for line two.",
            "approve_met_lines": "on",
        },
    )
    assert response.status_code == 302
    assert case.service_lines.get(sequence=1).decision == "approved"
    body = client_for(director).get(reverse("determinations:decide", args=[case.pk])).content
    body = body.decode()
    assert 'data-nurse-approved="1"' in body
    assert 'id="line-1"' not in body and 'id="line-2"' in body
