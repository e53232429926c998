"""Building a case's document checklist from the current document-checklist rules."""

from collections.abc import Iterable

from ..models import CareRequest, ChecklistItem, ChecklistRequirement, ServiceLine
from .engine import checklist_rules_for


def checklist_build(
    *, care_request: CareRequest, lines: Iterable[ServiceLine] | None = None, new: bool = False
) -> list[ChecklistRequirement]:
    """Add the checklist items the request's services, setting and type call for; return the rules
    that matched. Idempotent: a document kind already on the checklist is left as it is.

    `lines`: the request's service lines when the caller has them in hand (all of them), so they
    are not read again. `new`: the case was created in this transaction and has no checklist
    yet, so there is nothing to read."""
    lines = list(care_request.service_lines.all() if lines is None else lines)
    rules = checklist_rules_for(care_request, lines)
    existing = (
        set() if new else set(care_request.checklist_items.values_list("document_kind", flat=True))
    )
    items: dict[str, ChecklistItem] = {}
    for rule in rules:
        if rule.document_kind in existing:
            continue
        item = items.get(rule.document_kind)
        # Two rules asking for the same kind of document: one item, required if either says so.
        if item is None or (rule.required and not item.required):
            items[rule.document_kind] = ChecklistItem(
                care_request=care_request,
                document_kind=rule.document_kind,
                description=rule.description,
                required=rule.required,
            )
    ChecklistItem.objects.bulk_create(items.values())
    return rules
