"""Nurse review services: answers, recommendation, approve, refer, pend."""

from datetime import timedelta

import pytest
from django.utils import timezone

from intake.models import CareRequest, InformationRequest, ServiceLine, StatusEvent
from review.models import CriterionAnswer, LineJustification, NurseReview
from review.selectors.nurse_review import (
    LINE_INCOMPLETE,
    LINE_MET,
    LINE_NO_CRITERIA,
    LINE_NOT_DOCUMENTED,
    LINE_NOT_MET,
    recommendation_for,
)
from review.services.nurse_review import (
    AnswerInput,
    care_request_nurse_approve,
    care_request_nurse_request_info,
    care_request_refer_to_director,
    nurse_review_save_answers,
)
from um_portal.audit.models import AuditEvent
from um_portal.lib.errors import InvalidTransition, NotPermitted, ValidationFailed

from .conftest import answer_all

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        ([LINE_MET, LINE_MET], "approve"),
        ([LINE_MET, LINE_NOT_MET], "refer"),
        ([LINE_NOT_DOCUMENTED, LINE_NOT_MET], "refer"),
        ([LINE_MET, LINE_NO_CRITERIA], "refer"),
        ([LINE_MET, LINE_NOT_DOCUMENTED], "pend"),
        ([LINE_MET, LINE_INCOMPLETE], ""),
        ([LINE_NOT_MET, LINE_INCOMPLETE], "refer"),
        ([], ""),
    ],
)
def test_recommendation_follows_from_line_states(states, expected):
    assert recommendation_for(states) == expected


def test_all_met_answers_recommend_approval(review_case, nurse):
    case = review_case(lines=2)
    review = answer_all(case, nurse, "met")
    assert review.recommendation == "approve"
    assert CriterionAnswer.objects.filter(nurse_review=review).count() == 10  # 2 lines × 5


def test_one_unmet_criterion_recommends_referral(review_case, nurse):
    case = review_case()
    review = answer_all(case, nurse, "met", first_answer="not_met")
    assert review.recommendation == "refer"


def test_not_documented_without_unmet_recommends_pend(review_case, nurse):
    case = review_case()
    review = answer_all(case, nurse, "met", first_answer="not_documented")
    assert review.recommendation == "pend"


def test_answers_replace_earlier_answers(review_case, nurse):
    case = review_case()
    answer_all(case, nurse, "not_met")
    review = answer_all(case, nurse, "met")
    assert review.recommendation == "approve"
    assert NurseReview.objects.filter(care_request=case).count() == 1
    assert set(CriterionAnswer.objects.values_list("answer", flat=True)) == {"met"}


def test_answer_to_a_criterion_of_another_service_is_refused(review_case, nurse, criteria_sets):
    case = review_case(code="72148")
    oxygen_criterion = criteria_sets["home-oxygen"].criteria.first()
    line = case.service_lines.get()
    with pytest.raises(ValidationFailed):
        nurse_review_save_answers(
            care_request=case,
            nurse=nurse,
            answers=[AnswerInput(line.pk, oxygen_criterion.pk, "met")],
        )
    assert NurseReview.objects.count() == 0
    assert CriterionAnswer.objects.count() == 0


def test_invalid_answer_value_is_refused(review_case, nurse, criteria_sets):
    case = review_case()
    line = case.service_lines.get()
    criterion = criteria_sets["lumbar-spine-mri"].criteria.first()
    with pytest.raises(ValidationFailed):
        nurse_review_save_answers(
            care_request=case, nurse=nurse, answers=[AnswerInput(line.pk, criterion.pk, "maybe")]
        )
    assert CriterionAnswer.objects.count() == 0


def test_nurse_approves_when_every_criterion_is_met(review_case, nurse, decision_notices):
    case = review_case(lines=2, units=3, assign_to=nurse)
    answer_all(case, nurse, "met")

    approved = care_request_nurse_approve(care_request=case, nurse=nurse, summary="All met.")

    assert approved.status == "approved"
    assert approved.auth_number.startswith("A")
    assert approved.decided_at is not None
    for line in ServiceLine.objects.filter(care_request=case):
        assert line.decision == "approved"
        assert (line.approved_units, line.approved_start, line.approved_end) == (
            3,
            line.start_date,
            line.end_date,
        )
    event = StatusEvent.objects.get(care_request=case, transition="approve")
    assert (event.from_status, event.to_status, event.actor) == ("nurse_review", "approved", nurse)
    review = NurseReview.objects.get(care_request=case)
    assert review.recommendation == "approve"
    assert review.completed_at is not None
    [notice] = decision_notices
    assert (notice.source, notice.outcome, notice.actor) == ("nurse", "approved", nurse)
    assert notice.criteria_cited == [
        {"slug": "lumbar-spine-mri", "name": "MRI of the lumbar spine", "version": 1}
    ]
    assert AuditEvent.objects.filter(case_id=case.pk, action="care_request.nurse_approved").exists()


@pytest.mark.parametrize("first_answer", ["not_met", "not_documented", None])
def test_nurse_cannot_approve_unless_all_met(review_case, nurse, decision_notices, first_answer):
    case = review_case()
    if first_answer:
        answer_all(case, nurse, "met", first_answer=first_answer)
    with pytest.raises(ValidationFailed):
        care_request_nurse_approve(care_request=case, nurse=nurse)
    case.refresh_from_db()
    assert case.status == "nurse_review"
    assert case.auth_number == ""
    assert set(case.service_lines.values_list("decision", flat=True)) == {"pending"}
    assert decision_notices == []


def test_line_without_criteria_needs_a_justification_to_approve(
    review_case, nurse, decision_notices
):
    case = review_case(code="70553")  # brain MRI: no demo criteria set
    line = case.service_lines.get()
    with pytest.raises(ValidationFailed):
        care_request_nurse_approve(care_request=case, nurse=nurse)
    review = nurse_review_save_answers(
        care_request=case, nurse=nurse, answers=[], justifications={line.pk: "ok"}
    )
    assert review.recommendation == "refer"  # too short to count as a justification
    text = "Locked knee after twisting injury; MRI shows displaced bucket-handle tear."
    review = nurse_review_save_answers(
        care_request=case, nurse=nurse, answers=[], justifications={line.pk: text}
    )
    assert review.recommendation == "approve"

    care_request_nurse_approve(care_request=case, nurse=nurse)

    case.refresh_from_db()
    assert case.status == "approved"
    assert text in decision_notices[0].explanation
    assert decision_notices[0].criteria_cited == []
    assert LineJustification.objects.get(service_line=line).text == text


def test_justification_is_refused_for_a_line_with_criteria(review_case, nurse):
    case = review_case(code="72148")
    line = case.service_lines.get()
    with pytest.raises(ValidationFailed):
        nurse_review_save_answers(
            care_request=case, nurse=nurse, answers=[], justifications={line.pk: "x" * 40}
        )
    assert LineJustification.objects.count() == 0


def test_refer_needs_summary_and_recommendation(review_case, nurse):
    case = review_case()
    with pytest.raises(ValidationFailed) as exc:
        care_request_refer_to_director(
            care_request=case, nurse=nurse, summary=" ", recommendation=""
        )
    assert set(exc.value.field_errors) == {"summary", "recommendation"}
    case.refresh_from_db()
    assert case.status == "nurse_review"
    assert NurseReview.objects.count() == 0


def test_refer_moves_case_to_director_and_releases_assignment(review_case, nurse):
    case = review_case(assign_to=nurse)
    answer_all(case, nurse, "met", first_answer="not_met")

    care_request_refer_to_director(
        care_request=case, nurse=nurse, summary="Exam findings absent.", recommendation="Deny?"
    )

    case.refresh_from_db()
    assert case.status == "md_review"
    assert case.assigned_to is None
    review = NurseReview.objects.get(care_request=case)
    assert (review.recommendation, review.summary, review.referral_note) == (
        "refer",
        "Exam findings absent.",
        "Deny?",
    )
    event = StatusEvent.objects.get(care_request=case, transition="refer_to_md")
    assert event.note == "Exam findings absent."


def test_request_info_pends_and_keeps_the_clock(review_case, nurse):
    case = review_case(assign_to=nurse)
    due_before = case.due_at
    by = timezone.now() + timedelta(days=2)

    info = care_request_nurse_request_info(
        care_request=case, nurse=nurse, description="Send the PT notes.", due_by=by
    )

    case.refresh_from_db()
    assert case.status == "pending_info"
    assert case.pended_from == "nurse_review"
    assert case.due_at == due_before
    assert (info.description, info.due_by) == ("Send the PT notes.", by)
    assert NurseReview.objects.get(care_request=case).recommendation == "pend"


def test_request_info_needs_description_and_future_date(review_case, nurse):
    case = review_case()
    with pytest.raises(ValidationFailed):
        care_request_nurse_request_info(
            care_request=case, nurse=nurse, description="", due_by=timezone.now()
        )
    case.refresh_from_db()
    assert case.status == "nurse_review"
    assert InformationRequest.objects.count() == 0


@pytest.mark.parametrize("persona", ["director", "intake", "manager", "provider"])
def test_only_a_nurse_may_use_the_nurse_services(review_case, nurse, personas, persona):
    case = review_case()
    answer_all(case, nurse, "met")
    user = personas[persona]
    with pytest.raises(NotPermitted):
        care_request_nurse_approve(care_request=case, nurse=user)
    with pytest.raises(NotPermitted):
        care_request_refer_to_director(
            care_request=case, nurse=user, summary="s", recommendation="r"
        )
    with pytest.raises(NotPermitted):
        nurse_review_save_answers(care_request=case, nurse=user, answers=[])
    case.refresh_from_db()
    assert case.status == "nurse_review"
    assert NurseReview.objects.filter(nurse=user).count() == 0


def test_nurse_services_refuse_a_case_outside_nurse_review(md_review_case, nurse):
    with pytest.raises(InvalidTransition):
        care_request_nurse_approve(care_request=md_review_case, nurse=nurse)
    with pytest.raises(InvalidTransition):
        nurse_review_save_answers(care_request=md_review_case, nurse=nurse, answers=[])
    md_review_case.refresh_from_db()
    assert md_review_case.status == "md_review"


def test_answers_to_a_retired_criteria_version_do_not_count(review_case, nurse, criteria_sets):
    from review.services.criteria import CriterionInput, criteria_set_revise

    case = review_case()
    answer_all(case, nurse, "met")
    old = criteria_sets["lumbar-spine-mri"]
    criteria_set_revise(
        actor=None,
        previous=old,
        fields={"name": old.name, "code_system": "cpt", "codes": old.codes, "summary": ""},
        criteria=[CriterionInput("New single criterion.")],
    )
    with pytest.raises(ValidationFailed):
        care_request_nurse_approve(care_request=case, nurse=nurse)
    assert CareRequest.objects.get(pk=case.pk).status == "nurse_review"
