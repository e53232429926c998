"""Editing a rule writes its next version; the old version stays as it was (it is a record)."""

from django.db import transaction
from django.db.models import Max

from um_portal.audit.services import audit_event
from um_portal.lib.errors import InvalidTransition

from ..models.rules import VersionedRule


@transaction.atomic
def rule_revise(*, rule: VersionedRule, actor) -> VersionedRule:
    """Save the edited `rule` (an in-memory copy of a current version with changed fields) as a
    new version with the same key; the edited version stops being current. Returns the new one.

    Raises InvalidTransition when the version was already replaced (two managers editing at once).
    """
    model = type(rule)
    # Lock the current version so two concurrent edits cannot both create "the next" version.
    previous = model.objects.select_for_update().get(pk=rule.pk)
    if not previous.is_current:
        raise InvalidTransition(
            f"Version {previous.version} of {previous.key} was already replaced; edit the current "
            f"version."
        )
    latest = model.objects.filter(key=previous.key).aggregate(v=Max("version"))["v"]
    model.objects.filter(pk=previous.pk).update(is_current=False)
    rule.pk = None
    rule.id = None
    rule._state.adding = True
    rule.key = previous.key
    rule.version = latest + 1
    rule.is_current = True
    rule.created_by = actor if actor is not None and actor.is_authenticated else None
    rule.save()
    audit_event(
        actor=actor,
        action="rule.revised",
        summary=f"{model._meta.verbose_name} {rule.key} v{previous.version} → v{rule.version}.",
        data={"type": model.rule_type, "key": rule.key, "version": rule.version},
    )
    return rule


@transaction.atomic
def rule_create(*, rule: VersionedRule, actor) -> VersionedRule:
    """Save a new rule as version 1."""
    rule.version = 1
    rule.is_current = True
    rule.created_by = actor if actor is not None and actor.is_authenticated else None
    rule.save()
    audit_event(
        actor=actor,
        action="rule.created",
        summary=f"{type(rule)._meta.verbose_name} {rule.key} v1.",
        data={"type": type(rule).rule_type, "key": rule.key, "version": 1},
    )
    return rule
