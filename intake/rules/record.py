"""Recording an evaluation, shared by receipt and routing."""

from django.utils import timezone

from ..models import CareRequest, RuleEvaluation
from .explain import Trace


def case_for_rules(care_request: CareRequest) -> CareRequest:
    """The case with what every rule looks at loaded once."""
    return CareRequest.objects.select_related(
        "coverage__plan", "servicing_provider", "requesting_provider"
    ).get(pk=care_request.pk)


def evaluation_record(
    case: CareRequest, stage: str, outcome: str, trace: Trace, queue=None
) -> RuleEvaluation:
    return RuleEvaluation.objects.create(
        care_request=case,
        stage=stage,
        at=timezone.now(),
        outcome=outcome,
        queue=queue,
        fired=trace.fired,
        rules_version=trace.rules_version,
        explanation=trace.lines,
    )
