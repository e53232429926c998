"""Routing at triage: the queue a case goes to. The routing rules are the queues' own criteria
(intake.models.Queue: service categories, review settings, priority, tried by `order`)."""

from django.db import transaction

from ..models import CareRequest, Queue, RuleEvaluation
from . import engine, explain
from .record import case_for_rules, evaluation_record


@transaction.atomic
def rules_route(*, care_request: CareRequest) -> Queue | None:
    """Which queue the case goes to; records the evaluation. The caller sets the case's queue."""
    case = case_for_rules(care_request)
    queue = engine.queue_for(case, list(case.service_lines.all()))
    trace = explain.Trace()
    explain.explain_route(trace, case, queue)
    if queue is not None:
        trace.fired.append(
            {
                "type": "routing",
                "id": queue.pk,
                "key": queue.code,
                "version": None,  # queues are not versioned; the evaluation names the queue
                "name": queue.name,
                "line": None,
                "result": "routed",
            }
        )
    evaluation_record(
        case,
        RuleEvaluation.Stage.TRIAGE,
        RuleEvaluation.Outcome.ROUTED if queue is not None else RuleEvaluation.Outcome.UNROUTED,
        trace,
        queue=queue,
    )
    return queue
