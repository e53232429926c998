"""Plain-language explanations of an evaluation, and the record of which rule versions fired.

The lines are shown on the case to intake and reviewers and go into the decision notice, so they
name rules and conditions, never the member.
"""

from dataclasses import dataclass, field

from ..models import CareRequest, DuplicateFlag, Queue, ServiceLine
from .engine import ApprovalResult, NeedsResult


def line_label(line: ServiceLine) -> str:
    return f"Line {line.sequence} ({line.get_code_system_display()} {line.code})"


def rule_label(rule) -> str:
    return f"“{rule}”"  # str(rule) carries its version, e.g. “Office visits v2”


@dataclass
class Trace:
    """What an evaluation collects as it goes: fired rules (with versions) and the explanation."""

    fired: list[dict] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def fire(self, rule, *, result: str, line: ServiceLine | None = None) -> None:
        self.fired.append(
            {
                **rule.ref,
                "name": rule.label,
                "line": line.sequence if line is not None else None,
                "result": result,
            }
        )

    def say(self, text: str) -> None:
        self.lines.append(text)

    @property
    def rules_version(self) -> dict[str, dict[str, int]]:
        """{rule type: {key: version}}: what a decision records about the rules it used."""
        versions: dict[str, dict[str, int]] = {}
        for f in self.fired:
            versions.setdefault(f["type"], {})[f["key"]] = f["version"]
        return versions


def explain_needs(trace: Trace, results: list[NeedsResult]) -> None:
    for r in results:
        if r.rule is None:
            trace.say(
                f"{line_label(r.line)}: authorization required — no needs-assessment rule "
                f"covers this service, so it is reviewed."
            )
            continue
        answer = "authorization required" if r.requires_auth else "no authorization required"
        trace.fire(
            r.rule, result="requires_auth" if r.requires_auth else "not_required", line=r.line
        )
        trace.say(
            f"{line_label(r.line)}: {answer} — needs-assessment rule {rule_label(r.rule)} "
            f"({r.rule.code_label})."
        )
    if not any(r.requires_auth for r in results):
        trace.say("No service on the request needs prior authorization: closed as not required.")


def explain_checklist(trace: Trace, rules: list) -> None:
    for rule in rules:
        trace.fire(rule, result="adds_item")
        need = "required" if rule.required else "optional"
        trace.say(f"Checklist: {rule.description} ({need}) — rule {rule.key} v{rule.version}.")


def explain_duplicates(trace: Trace, flags: list[DuplicateFlag]) -> None:
    for flag in flags:
        trace.say(
            f"Possible duplicate of {flag.other.reference} ({flag.other.get_status_display()}): "
            f"same member, {flag.get_code_system_display()} {flag.code}, overlapping dates."
        )


def explain_approval(trace: Trace, results: list[ApprovalResult]) -> None:
    for r in results:
        if not r.checks:
            trace.say(f"{line_label(r.line)}: no auto-approval rule applies to this service.")
        for check in r.checks:
            trace.fire(check.rule, result="met" if check.met else "not_met", line=r.line)
            if check.met:
                trace.say(
                    f"{line_label(r.line)}: meets auto-approval rule {rule_label(check.rule)}."
                )
            else:
                trace.say(
                    f"{line_label(r.line)}: does not meet auto-approval rule "
                    f"{rule_label(check.rule)}: {'; '.join(check.failures)}."
                )


def explain_outcome(trace: Trace, *, approved: bool, duplicates: bool, queue: Queue | None) -> None:
    if approved:
        trace.say(
            "Auto-approved: every service that needs authorization meets an auto-approval rule."
        )
        return
    if duplicates:
        trace.say("Not auto-approved: intake must first rule out the possible duplicate.")
    else:
        trace.say("Not auto-approved: the request goes to intake and then to clinical review.")
    if queue is not None:
        trace.say(f"After triage it would go to the {queue.name} queue.")


def explain_route(trace: Trace, case: CareRequest, queue: Queue | None) -> None:
    if queue is None:
        trace.say("No active queue matches this request: a lead must place it by hand.")
        return
    parts = [
        "categories " + ", ".join(c.name for c in queue.service_categories.all())
        if queue.service_categories.all()
        else "any category",
        ("setting " + ", ".join(queue.review_settings)) if queue.review_settings else "any setting",
        f"{queue.priority} priority" if queue.priority else "any priority",
    ]
    criteria = "; ".join(parts)
    trace.say(f"Routed to the {queue.name} queue, the first whose criteria match ({criteria}).")
