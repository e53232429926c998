"""Medical-necessity criteria sets: created and revised only here, so every edit is a new version.

A nurse review records the criteria set version it used, and a determination cites it; changing
the text of a version in place would silently rewrite what past decisions relied on. So an edit
publishes version N+1 and retires version N (the database allows one current version per slug).
"""

from dataclasses import dataclass

from django.db import transaction

from um_portal.audit.services import audit_event
from um_portal.lib.errors import ValidationFailed

from ..models import CriteriaSet, Criterion


@dataclass(frozen=True)
class CriterionInput:
    text: str
    plain_language: str = ""
    plain_language_es: str = ""


VERSIONED_FIELDS = (
    "name",
    "name_es",
    "code_system",
    "codes",
    "summary",
    "summary_es",
    "effective_from",
)


def _clean(*, fields: dict, criteria: list[CriterionInput]) -> tuple[dict, list[CriterionInput]]:
    errors: dict[str, list[str]] = {}
    codes = [str(c).strip().upper() for c in fields.get("codes") or [] if str(c).strip()]
    if not codes:
        errors["codes"] = ["List at least one service code."]
    if not (fields.get("name") or "").strip():
        errors["name"] = ["Required."]
    criteria = [c for c in criteria if c.text.strip()]
    if not criteria:
        errors["criteria"] = ["A criteria set needs at least one criterion."]
    if errors:
        raise ValidationFailed("The criteria set has errors.", field_errors=errors)
    return {**fields, "codes": codes}, criteria


@transaction.atomic
def criteria_set_create(
    *, actor, slug: str, fields: dict, criteria: list[CriterionInput]
) -> CriteriaSet:
    """Version 1 of a new criteria set."""
    fields, criteria = _clean(fields=fields, criteria=criteria)
    if CriteriaSet.objects.filter(slug=slug).exists():
        raise ValidationFailed(
            "A criteria set with this slug exists; edit it to publish a new version.",
            field_errors={"slug": ["Already used."]},
        )
    criteria_set = CriteriaSet.objects.create(
        slug=slug, version=1, is_current=True, **_values(fields)
    )
    _add_criteria(criteria_set, criteria)
    audit_event(
        actor=actor,
        action="criteria_set.created",
        summary=f"Criteria set {slug} v1 published.",
        data={"criteria_set": criteria_set.pk},
    )
    return criteria_set


@transaction.atomic
def criteria_set_revise(
    *, actor, previous: CriteriaSet, fields: dict, criteria: list[CriterionInput]
) -> CriteriaSet:
    """Publish a new version of `previous` (which must be current) and retire `previous`."""
    fields, criteria = _clean(fields=fields, criteria=criteria)
    # Lock the current row: two managers saving at once must not both publish "version N+1".
    locked = CriteriaSet.objects.select_for_update().get(pk=previous.pk)
    if not locked.is_current:
        raise ValidationFailed(
            "Only the current version can be revised; open the newest version instead."
        )
    latest = (
        CriteriaSet.objects.filter(slug=locked.slug)
        .order_by("-version")
        .values_list("version", flat=True)
    ).first()
    CriteriaSet.objects.filter(pk=locked.pk).update(is_current=False)
    revised = CriteriaSet.objects.create(
        slug=locked.slug,
        version=latest + 1,
        is_current=True,
        **_values(fields),
    )
    _add_criteria(revised, criteria)
    audit_event(
        actor=actor,
        action="criteria_set.revised",
        summary=f"Criteria set {locked.slug} v{revised.version} replaces v{locked.version}.",
        data={"previous": locked.pk, "criteria_set": revised.pk},
    )
    return revised


def _values(fields: dict) -> dict:
    # The Spanish fields are optional for callers written before them (issue 18).
    return {
        k: fields.get(k) if k not in ("name_es", "summary_es") else fields.get(k) or ""
        for k in VERSIONED_FIELDS
    }


def _add_criteria(criteria_set: CriteriaSet, criteria: list[CriterionInput]) -> None:
    Criterion.objects.bulk_create(
        Criterion(
            criteria_set=criteria_set,
            sequence=i,
            text=c.text.strip(),
            plain_language=c.plain_language.strip(),
            plain_language_es=(c.plain_language_es or "").strip(),
        )
        for i, c in enumerate(criteria, start=1)
    )
