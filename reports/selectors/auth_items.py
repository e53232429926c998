"""The CMS-0057-F list of items and services that require prior authorization, read from the
needs-assessment rules (intake.models.AuthRequirementRule) that intake's engine applies.

The engine's semantics (intake.rules.engine.assess_needs): only current, active rule versions
count; for a service line the first matching rule by (order, key) decides; a rule matches on
code system, code or code range, line of business, plan, place of service and network status,
an empty condition matching anything. So the list is the rules in force that answer "required"
and can apply to the plan / line of business asked about, less those that an earlier "not
required" rule always pre-empts there. A rule that is pre-empted only sometimes stays listed: a
public list that says "authorization required" where it is sometimes not is the safer mistake.
"""

from dataclasses import dataclass

from intake.apis.coding import category_for_code
from intake.models import AuthRequirementRule, LineOfBusiness, Plan, ServiceCategory, ServiceLine
from intake.rules.engine import current_rules

ANY = "Any service"
NETWORK = {"in": "in-network providers only", "out": "out-of-network providers only"}


@dataclass(frozen=True)
class AuthorizationItem:
    category: str  # our service category; "" when the code or range spans several
    code_system: str  # "" for any code system
    code: str  # a code, a range "70010–79999", or "any code"
    description: str  # the rule's name: our own words, never a CPT descriptor
    conditions: str = ""  # plan, line of business, place of service, network; "" for none

    @property
    def system_label(self) -> str:
        return ServiceLine.System(self.code_system).label if self.code_system else "Any system"


def _in_scope(rule: AuthRequirementRule, plan: Plan | None, lob: str) -> bool:
    if plan is not None:
        if rule.plan_id is not None and rule.plan_id != plan.pk:
            return False
        if rule.line_of_business and rule.line_of_business != plan.line_of_business:
            return False
    if lob:
        if rule.line_of_business and rule.line_of_business != lob:
            return False
        if rule.plan_id is not None and rule.plan.line_of_business != lob:
            return False
    return True


def _code_bounds(rule: AuthRequirementRule) -> tuple[str, str]:
    return rule.code_from, rule.code_to or rule.code_from


def _covers(earlier: AuthRequirementRule, rule: AuthRequirementRule, plan, lob: str) -> bool:
    """Does `earlier` match every service line `rule` matches, within the report's scope?"""
    if earlier.code_system and earlier.code_system != rule.code_system:
        return False
    if earlier.code_from:
        (low, high), (first, last) = _code_bounds(earlier), _code_bounds(rule)
        if not rule.code_from or len(first) != len(low) or not (low <= first and last <= high):
            return False
    scope_lob = (
        rule.line_of_business
        or (rule.plan.line_of_business if rule.plan_id else "")
        or (plan.line_of_business if plan else "")
        or lob
    )
    if earlier.line_of_business and earlier.line_of_business != scope_lob:
        return False
    scope_plan = rule.plan_id or (plan.pk if plan else None)
    if earlier.plan_id is not None and earlier.plan_id != scope_plan:
        return False
    if earlier.places_of_service and not (
        rule.places_of_service and set(rule.places_of_service) <= set(earlier.places_of_service)
    ):
        return False
    return not earlier.network_status or earlier.network_status == rule.network_status


def _conditions(rule: AuthRequirementRule, plan: Plan | None, lob: str) -> str:
    parts = []
    if rule.plan_id is not None and plan is None:
        parts.append(f"{rule.plan.name} only")
    if rule.line_of_business and plan is None and not lob:
        parts.append(f"{LineOfBusiness(rule.line_of_business).label} only")
    if rule.places_of_service:
        parts.append(f"place of service {', '.join(rule.places_of_service)}")
    if rule.network_status:
        parts.append(NETWORK[rule.network_status])
    return "; ".join(parts)


def _category(rule: AuthRequirementRule, names: dict[str, str]) -> str:
    if not rule.code_from:
        return ANY
    first, last = _code_bounds(rule)
    code = category_for_code(rule.code_system, first)
    if not rule.code_system or code != category_for_code(rule.code_system, last):
        return ""
    return names.get(code, "")


def authorization_required_items(plan: Plan | None, lob: str) -> list[AuthorizationItem]:
    """The items and services that require prior authorization for a plan and/or line of
    business (both empty: every plan), by category and code (two queries)."""
    rules = [
        r
        for r in current_rules(AuthRequirementRule).select_related("plan").order_by("order", "key")
        if _in_scope(r, plan, lob)
    ]
    names = dict(ServiceCategory.objects.values_list("code", "name"))
    items = []
    for position, rule in enumerate(rules):
        if not rule.requires_auth:
            continue
        if any(
            not earlier.requires_auth and _covers(earlier, rule, plan, lob)
            for earlier in rules[:position]
        ):
            continue
        items.append(
            AuthorizationItem(
                category=_category(rule, names),
                code_system=rule.code_system,
                code=rule.code_label,
                description=rule.name,
                conditions=_conditions(rule, plan, lob),
            )
        )
    return sorted(items, key=lambda i: (i.category == "", i.category, i.code_system, i.code))
