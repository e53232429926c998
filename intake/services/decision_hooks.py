"""How intake and review tell the determinations app that a case was decided outside a
physician's decision screen: the rules engine's approval, intake's "no authorization required",
or a nurse's approval.

Intake and review must not import `determinations` (dependencies point one way), yet each of those
decisions needs a determination of record and letters, in the same transaction. So determinations
registers a recorder here at start-up (its AppConfig.ready) and the deciding service calls
`notify_decision` explicitly — a named, typed call, not a model signal.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from ..models import CareRequest


@dataclass(frozen=True)
class DecisionNotice:
    care_request: CareRequest
    outcome: str  # "approved" or "not_required"
    source: str  # "rules", "intake" or "nurse" (Determination.Source)
    actor: object | None  # the person who decided, or None for the rules engine
    explanation: str = ""
    rules_version: dict = field(default_factory=dict)
    criteria_cited: list = field(default_factory=list)


_recorders: list[Callable[[DecisionNotice], None]] = []


def register_decision_recorder(recorder: Callable[[DecisionNotice], None]) -> None:
    if recorder not in _recorders:
        _recorders.append(recorder)


def notify_decision(notice: DecisionNotice) -> None:
    """Call inside the deciding transaction; recorders write their rows in it too."""
    for recorder in _recorders:
        recorder(notice)


# Checks that may forbid approving a case's services now (e.g. determinations' out-of-network
# exception still waiting for a director, or denied). Each returns "" or why not, in words.
_approval_checks: list[Callable[[CareRequest], str]] = []


def register_approval_check(check: Callable[[CareRequest], str]) -> None:
    if check not in _approval_checks:
        _approval_checks.append(check)


def approval_refusal(care_request: CareRequest) -> str:
    """Why no service of the case may be approved now, or "" when approving is open. Every
    service that approves a line asks this first (the rules engine, a nurse, a director)."""
    for check in _approval_checks:
        reason = check(care_request)
        if reason:
            return reason
    return ""
