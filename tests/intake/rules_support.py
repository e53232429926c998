"""Helpers for the rules-engine tests: rule builders and a recorder of decision notices."""

import itertools

import pytest

from intake.models import (
    AuthRequirementRule,
    AutoApprovalRule,
    ChecklistRequirement,
    DocumentKind,
    ServiceCategory,
)
from intake.services import decision_hooks

_keys = itertools.count(1)


def needs_rule(**fields) -> AuthRequirementRule:
    fields.setdefault("key", f"needs-{next(_keys)}")
    fields.setdefault("name", fields["key"])
    fields.setdefault("requires_auth", False)
    return AuthRequirementRule.objects.create(**fields)


def auto_rule(**fields) -> AutoApprovalRule:
    fields.setdefault("key", f"auto-{next(_keys)}")
    fields.setdefault("name", fields["key"])
    if "category" not in fields and "service_codes" not in fields:
        fields["category"] = ServiceCategory.objects.get(code="imaging")
    return AutoApprovalRule.objects.create(**fields)


def checklist_rule(**fields) -> ChecklistRequirement:
    fields.setdefault("key", f"checklist-{next(_keys)}")
    fields.setdefault("document_kind", DocumentKind.CLINICAL_NOTES)
    fields.setdefault("description", "Office notes")
    return ChecklistRequirement.objects.create(**fields)


@pytest.fixture
def notices():
    """Every DecisionNotice sent while the test runs."""
    received = []
    decision_hooks.register_decision_recorder(received.append)
    yield received
    decision_hooks._recorders.remove(received.append)


def add_line(case, *, code: str, code_system: str = "cpt", units: int = 1, category=None):
    """Add a service line to a draft, with the dates of its first line."""
    from intake.models import ServiceLine

    first = case.service_lines.order_by("sequence").first()
    return ServiceLine.objects.create(
        care_request=case,
        sequence=case.service_lines.count() + 1,
        code_system=code_system,
        code=code,
        units=units,
        category=category or first.category,
        start_date=first.start_date,
        end_date=first.end_date,
    )
