"""Routing at triage: the first active queue, by order, whose criteria match the case."""

import pytest

from intake.models import Queue, RuleEvaluation, ServiceCategory, Skill
from intake.services.eligibility import eligibility_check_record
from intake.services.workflow import care_request_triage
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def queue(code, order, *, categories=(), settings=(), priority="", active=True):
    q = Queue.objects.create(
        code=code,
        name=code.title(),
        order=order,
        review_settings=list(settings),
        priority=priority,
        is_active=active,
    )
    q.service_categories.set(ServiceCategory.objects.filter(code__in=categories))
    return q


def triaged(actor, **case_fields):
    case = make_case(actor=actor, **case_fields)
    eligibility_check_record(care_request=case, actor=actor)
    return care_request_triage(care_request=case, actor=actor)


@pytest.fixture
def queues():
    return {
        "expedited": queue("expedited", 10, priority="expedited"),
        "inactive": queue("inactive", 5, categories=["imaging"], active=False),
        "inpatient": queue("inpatient", 20, settings=["inpatient"]),
        "imaging": queue("imaging", 30, categories=["imaging", "therapy"]),
        "general": queue("general", 100),
    }


@pytest.mark.parametrize(
    ("case_fields", "expected"),
    [
        ({"priority": "expedited"}, "expedited"),
        ({"review_setting": "inpatient", "category_code": "surgery", "code": "27447"}, "inpatient"),
        ({}, "imaging"),
        ({"category_code": "dme", "code": "E0601", "code_system": "hcpcs"}, "general"),
    ],
)
def test_triage_puts_the_case_in_the_first_matching_queue(
    intake_specialist, queues, case_fields, expected
):
    case = triaged(intake_specialist, **case_fields)
    assert case.status == "nurse_review"
    assert case.queue == queues[expected]
    evaluation = case.rule_evaluations.get(stage="triage")
    assert (evaluation.outcome, evaluation.queue) == ("routed", queues[expected])
    assert evaluation.fired == [
        {
            "type": "routing",
            "id": queues[expected].pk,
            "key": expected,
            "version": None,
            "name": queues[expected].name,
            "line": None,
            "result": "routed",
        }
    ]


def test_the_explanation_names_the_queue_and_its_criteria(intake_specialist, queues):
    case = triaged(intake_specialist)
    assert case.rule_evaluations.get(stage="triage").explanation == [
        "Routed to the Imaging queue, the first whose criteria match (categories Advanced "
        "imaging, Physical, occupational and speech therapy; any setting; any priority)."
    ]


def test_without_a_matching_queue_the_case_is_unrouted(intake_specialist):
    queue("dme", 10, categories=["dme"])
    case = triaged(intake_specialist)
    assert case.status == "nurse_review"
    assert case.queue is None
    evaluation = case.rule_evaluations.get(stage="triage")
    assert evaluation.outcome == RuleEvaluation.Outcome.UNROUTED
    assert evaluation.explanation == [
        "No active queue matches this request: a lead must place it by hand."
    ]


def test_receipt_says_where_triage_would_send_it(intake_specialist, queues):
    Skill.objects.create(code="x", name="X")
    case = make_case(actor=intake_specialist)
    assert case.queue is None  # only triage places it
    assert case.rule_evaluations.get().explanation[-1] == (
        "After triage it would go to the Imaging queue."
    )
