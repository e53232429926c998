"""Evaluating rules against a case. Reads only: `services` decides what to write.

Every function takes the case with its coverage's plan and servicing provider loaded, and the
case's service lines with their categories, so one evaluation costs a fixed number of queries.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

from ..models import (
    AuthRequirementRule,
    AutoApprovalRule,
    CareRequest,
    ChecklistRequirement,
    Provider,
    Queue,
    ServiceLine,
)
from . import reference


def current_rules(model):
    """The versions in force: current and active."""
    return model.objects.filter(is_current=True, is_active=True)


# --- needs assessment ------------------------------------------------------------------------


@dataclass(frozen=True)
class NeedsResult:
    line: ServiceLine
    requires_auth: bool
    rule: AuthRequirementRule | None  # None: no rule matched, authorization required by default


def auth_rule_matches(rule: AuthRequirementRule, case: CareRequest, line: ServiceLine) -> bool:
    plan = case.coverage.plan
    return (
        (not rule.code_system or rule.code_system == line.code_system)
        and rule.code_matches(line.code)
        and (not rule.line_of_business or rule.line_of_business == plan.line_of_business)
        and (rule.plan_id is None or rule.plan_id == plan.pk)
        and (not rule.places_of_service or line.place_of_service in rule.places_of_service)
        and (
            not rule.network_status or rule.network_status == case.servicing_provider.network_status
        )
    )


def assess_needs(case: CareRequest, lines: Iterable[ServiceLine]) -> list[NeedsResult]:
    """For each line, the first matching needs-assessment rule by order decides. Without one the
    line needs authorization: closing a request without a rule that says so would be unsafe."""
    rules = reference.snapshot().auth_rules
    results = []
    for line in lines:
        rule = next((r for r in rules if auth_rule_matches(r, case, line)), None)
        results.append(
            NeedsResult(line=line, requires_auth=rule is None or rule.requires_auth, rule=rule)
        )
    return results


# --- document checklist ----------------------------------------------------------------------


def checklist_rule_matches(
    rule: ChecklistRequirement, case: CareRequest, lines: Iterable[ServiceLine]
) -> bool:
    if rule.review_setting and rule.review_setting != case.review_setting:
        return False
    if rule.request_type and rule.request_type != case.request_type:
        return False
    return any(
        (rule.category_id is None or rule.category_id == line.category_id)
        and (not rule.service_codes or line.code in rule.service_codes)
        for line in lines
    )


def checklist_rules_for(
    case: CareRequest, lines: Iterable[ServiceLine]
) -> list[ChecklistRequirement]:
    lines = list(lines)
    rules = reference.snapshot().checklist_rules
    return [r for r in rules if checklist_rule_matches(r, case, lines)]


# --- auto-approval ---------------------------------------------------------------------------


@dataclass
class CaseFacts:
    """What auto-approval conditions look at, each looked up at most once per evaluation and
    only when a rule in scope asks: eligibility writes an eligibility check, and a request that
    no auto-approval rule covers needs none of them."""

    load_diagnoses: Callable[[], list[str]]
    load_checklist_complete: Callable[[], bool]
    in_network: bool
    eligibility: Callable[[], bool]
    # {criteria set slug: [criteria the provider did not attest as met]}; a slug absent from it
    # has no attested answers on the case. See `attestation_gaps`.
    load_attestations: Callable[[], dict[str, list[str]]] = field(default=lambda: {})

    @cached_property
    def diagnoses(self) -> list[str]:
        return self.load_diagnoses()

    @cached_property
    def attestations(self) -> dict[str, list[str]]:
        return self.load_attestations()

    @cached_property
    def checklist_complete(self) -> bool:
        return self.load_checklist_complete()

    @cached_property
    def eligible(self) -> bool:
        return self.eligibility()


@dataclass(frozen=True)
class RuleCheck:
    rule: AutoApprovalRule
    failures: tuple[str, ...]  # plain-language reasons; empty when every condition holds

    @property
    def met(self) -> bool:
        return not self.failures


@dataclass(frozen=True)
class ApprovalResult:
    line: ServiceLine
    checks: tuple[RuleCheck, ...]  # the rules in scope for the line, in order

    @property
    def approving_rule(self) -> AutoApprovalRule | None:
        return next((c.rule for c in self.checks if c.met), None)


def auto_rule_in_scope(rule: AutoApprovalRule, case: CareRequest, line: ServiceLine) -> bool:
    plan = case.coverage.plan
    return (
        (not rule.line_of_business or rule.line_of_business == plan.line_of_business)
        and (rule.plan_id is None or rule.plan_id == plan.pk)
        and (rule.category_id is None or rule.category_id == line.category_id)
        and (not rule.code_system or rule.code_system == line.code_system)
        and (not rule.service_codes or line.code in rule.service_codes)
    )


def diagnosis_matches(wanted: Iterable[str], present: Iterable[str]) -> bool:
    # ICD-10-CM is hierarchical: a rule listing M54 accepts M54.16.
    present = list(present)
    return any(code.startswith(w) for w in wanted for code in present)


def auto_rule_failures(rule: AutoApprovalRule, line: ServiceLine, facts: CaseFacts) -> list[str]:
    """Why the rule does not approve the line; empty when it does. Cheap checks first, so the
    eligibility lookup runs only for a rule every other condition already satisfies."""
    failures = []
    if rule.diagnosis_codes and not diagnosis_matches(rule.diagnosis_codes, facts.diagnoses):
        failures.append(f"no diagnosis on the request is one of {', '.join(rule.diagnosis_codes)}")
    if rule.max_units is not None and line.units > rule.max_units:
        failures.append(f"{line.units} units exceed the limit of {rule.max_units}")
    if rule.require_in_network and not facts.in_network:
        failures.append("the servicing provider is out of network")
    if rule.require_checklist_complete and not facts.checklist_complete:
        failures.append("required documents are missing")
    if rule.attested_criteria_set:
        slug = rule.attested_criteria_set
        gaps = facts.attestations.get(slug)
        if gaps is None:
            failures.append(f"the provider sent no attested answers for criteria set {slug}")
        elif gaps:
            failures.append(f"criteria set {slug} not attested as met: {'; '.join(gaps)}")
    if rule.require_eligible and not failures and not facts.eligible:
        failures.append("the member's eligibility for the service could not be verified")
    return failures


def assess_auto_approval(
    case: CareRequest, lines: Iterable[ServiceLine], facts: CaseFacts
) -> list[ApprovalResult]:
    """For each line, every rule in scope, in order, with why it does or does not approve it."""
    rules = reference.snapshot().auto_rules
    results = []
    for line in lines:
        checks = []
        for rule in rules:
            if not auto_rule_in_scope(rule, case, line):
                continue
            check = RuleCheck(rule=rule, failures=tuple(auto_rule_failures(rule, line, facts)))
            checks.append(check)
            if check.met:
                break
        results.append(ApprovalResult(line=line, checks=tuple(checks)))
    return results


# Who reads the provider's attested criteria answers (DTR) of a case: crd registers it at
# start-up (its AppConfig.ready); intake cannot import crd, which sits above it. fn(case) ->
# {criteria set slug: [criteria not attested as met, in words]}. Read once per evaluation, and
# only when a rule in scope asks.
_attestation_providers: list[Callable[[CareRequest], dict[str, list[str]]]] = []


def register_attestation_provider(provider: Callable[[CareRequest], dict]) -> None:
    if provider not in _attestation_providers:
        _attestation_providers.append(provider)


def attestation_gaps(case: CareRequest) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for provider in _attestation_providers:
        out.update(provider(case))
    return out


def in_network(case: CareRequest) -> bool:
    return case.servicing_provider.network_status == Provider.Network.IN


# --- routing ---------------------------------------------------------------------------------


def queue_matches(queue: Queue, case: CareRequest, category_ids: set) -> bool:
    categories = {c.pk for c in queue.service_categories.all()}
    return (
        (not categories or bool(categories & category_ids))
        and (not queue.review_settings or case.review_setting in queue.review_settings)
        and (not queue.priority or queue.priority == case.priority)
    )


def queue_for(case: CareRequest, lines: Iterable[ServiceLine]) -> Queue | None:
    """The first active queue, by order, whose categories, settings and priority match the case.
    Lines that need no authorization do not steer the case."""
    lines = list(lines)
    reviewed = [li for li in lines if li.decision != ServiceLine.Decision.NOT_REQUIRED] or lines
    category_ids = {li.category_id for li in reviewed}
    queues = reference.snapshot().queues
    return next((q for q in queues if queue_matches(q, case, category_ids)), None)
