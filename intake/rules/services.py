"""Applying the rules at receipt: close as not required, approve, or leave for intake.

It runs inside the caller's transaction and record a `RuleEvaluation`, so the case shows which
rule versions fired and why, and a decision made by the engine records the versions it used.
"""

from um_portal.lib.npi import is_valid_npi
from um_portal.lib.transactions import in_callers_transaction

from ..models import CareRequest, Coverage, RuleEvaluation, ServiceLine
from ..services.authorization import service_lines_approve_as_requested
from ..services.decision_hooks import DecisionNotice, notify_decision
from ..services.eligibility import eligibility_check_record
from ..services.transitions import care_request_transition
from ..services.workflow import care_request_close_not_required
from . import engine, explain
from .checklist import checklist_build
from .duplicates import duplicates_flag
from .record import case_for_rules as _case_for_rules
from .record import evaluation_record as _record

Outcome = RuleEvaluation.Outcome


def _facts(case: CareRequest) -> engine.CaseFacts:
    def eligibility() -> bool:
        if case.eligibility_status != CareRequest.Eligibility.UNVERIFIED:
            return case.eligibility_status == CareRequest.Eligibility.VERIFIED
        # The same check intake would run, recorded on the case (system actor): an automatic
        # approval must rest on verified coverage, as a person's would.
        return eligibility_check_record(care_request=case, actor=None, loaded=True).eligible

    def checklist_complete() -> bool:
        return not case.checklist_items.filter(required=True, document__isnull=True).exists()

    return engine.CaseFacts(
        load_diagnoses=lambda: list(case.diagnoses.values_list("code", flat=True)),
        load_checklist_complete=checklist_complete,
        in_network=engine.in_network(case),
        eligibility=eligibility,
        load_attestations=lambda: engine.attestation_gaps(case),
    )


def _holds(case: CareRequest) -> list[str]:
    """What intake must verify before any rule may decide: coverage taken on trust from an
    outside submission (its plan is a guess) and providers whose NPI fails the check digit."""
    holds = []
    if case.coverage.status == Coverage.Status.UNVERIFIED:
        holds.append(
            f"Coverage {case.coverage.member_number} came with the submission and is not "
            "verified: intake must verify the member, plan and eligibility."
        )
    providers = {case.servicing_provider}
    if case.requesting_provider_id != case.servicing_provider_id:
        providers.add(case.requesting_provider)
    for provider in sorted(providers, key=lambda p: p.npi):
        if not is_valid_npi(provider.npi):
            holds.append(f"NPI {provider.npi} ({provider.name}) fails the NPI check digit.")
    return holds


# No savepoint of its own: its one caller, care_request_submit, has one that covers what it
# writes should a transition it asks for be refused.
@in_callers_transaction
def rules_apply_at_receipt(*, care_request: CareRequest) -> RuleEvaluation:
    """Run the engine on a just-received request (status `submitted`).

    Per line, needs assessment; if no line needs authorization the request closes as not
    required. Otherwise the lines that need none are marked so, the checklist is completed from
    the checklist rules, possible duplicates are flagged, and if every line that needs
    authorization meets an auto-approval rule (and there is no possible duplicate) the request is
    approved at once. Anything else is left for intake. Never a denial.
    """
    case = _case_for_rules(care_request)
    lines = list(case.service_lines.select_related("category"))
    trace = explain.Trace()

    holds = _holds(case)
    if holds:
        # No closing as not required and no approval on data nobody has checked yet.
        for hold in holds:
            trace.say(hold)
        trace.say("Not assessed by the rules: the request goes to intake.")
        return _record(case, RuleEvaluation.Stage.RECEIPT, Outcome.INTAKE, trace)

    needs = engine.assess_needs(case, lines)
    explain.explain_needs(trace, needs)
    if not any(n.requires_auth for n in needs):
        evaluation = _record(case, RuleEvaluation.Stage.RECEIPT, Outcome.NOT_REQUIRED, trace)
        care_request_close_not_required(
            care_request=case,
            actor=None,
            note=" ".join(trace.lines),
            system=True,
            rules_version={**trace.rules_version, "evaluation": str(evaluation.pk)},
        )
        return evaluation

    not_required = [n.line.pk for n in needs if not n.requires_auth]
    if not_required:
        ServiceLine.objects.filter(pk__in=not_required).update(
            decision=ServiceLine.Decision.NOT_REQUIRED
        )
    needing = [n.line for n in needs if n.requires_auth]

    explain.explain_checklist(trace, checklist_build(care_request=case, lines=lines))
    flags = duplicates_flag(care_request=case, lines=lines)
    explain.explain_duplicates(trace, flags)

    approvals = engine.assess_auto_approval(case, needing, _facts(case))
    explain.explain_approval(trace, approvals)
    approved = not flags and all(a.approving_rule is not None for a in approvals)
    if not approved:
        explain.explain_outcome(
            trace, approved=False, duplicates=bool(flags), queue=engine.queue_for(case, needing)
        )
        return _record(case, RuleEvaluation.Stage.RECEIPT, Outcome.INTAKE, trace)

    explain.explain_outcome(trace, approved=True, duplicates=False, queue=None)
    evaluation = _record(case, RuleEvaluation.Stage.RECEIPT, Outcome.APPROVED, trace)
    care_request_transition(
        care_request=case, name="auto_approve", actor=None, note=trace.lines[-1], system=True
    )
    service_lines_approve_as_requested(care_request=case)
    notify_decision(
        DecisionNotice(
            care_request=case,
            outcome="approved",
            source="rules",
            actor=None,
            explanation=" ".join(trace.lines),
            rules_version={**trace.rules_version, "evaluation": str(evaluation.pk)},
        )
    )
    return evaluation
