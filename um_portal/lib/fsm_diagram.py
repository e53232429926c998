"""Mermaid state diagrams generated from django-fsm transitions (docs/state-machines.md)."""

from django.db import models

# django-fsm-2 marks "any state" and "the state it came from" sources/targets with these.
ANY = "*"


def _permission_label(permission) -> str:
    name = getattr(permission, "__name__", "") if permission else ""
    if name.startswith("role_"):
        return name.removeprefix("role_").replace("_or_", " / ")
    return name.lstrip("_").replace("_", " ")


def mermaid_state_diagram(model: type[models.Model], field_name: str = "status") -> str:
    """A `stateDiagram-v2` of every transition of `model.<field_name>`, sorted so the text is
    stable: `source --> target : transition [who] (conditions)`."""
    field = model._meta.get_field(field_name)
    choices = dict(field.choices)
    lines = ["stateDiagram-v2"]
    for value, label in choices.items():
        lines.append(f"    {value} : {label}")
    lines.append(f"    [*] --> {field.default}")
    edges = set()
    for t in field.get_all_transitions(model):
        targets = getattr(t.target, "allowed_states", None) or [t.target]
        sources = list(choices) if t.source == ANY else [t.source]
        who = _permission_label(t.permission)
        when = ", ".join(c.__name__ for c in t.conditions)
        note = t.name + (f" [{who}]" if who else "") + (f" ({when})" if when else "")
        for source in sources:
            for target in targets:
                edges.add(f"    {source} --> {target} : {note}")
    lines.extend(sorted(edges))
    return "\n".join(lines) + "\n"
