"""How intake tells the determinations app that a case was decided without a reviewer.

Intake must not import `determinations` (dependencies point one way), yet an automatic approval
or a "no authorization required" closing needs a determination of record and a letter, in the
same transaction. So determinations registers a recorder here at start-up (its AppConfig.ready)
and intake calls it explicitly — a named, typed call, not a model signal.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from ..models import CareRequest


@dataclass(frozen=True)
class AutomaticDecision:
    care_request: CareRequest
    outcome: str  # "approved" or "not_required"
    actor: object | None  # the person who closed it, or None for the rules engine
    explanation: str = ""
    rules_version: dict = field(default_factory=dict)


_recorders: list[Callable[[AutomaticDecision], None]] = []


def register_decision_recorder(recorder: Callable[[AutomaticDecision], None]) -> None:
    if recorder not in _recorders:
        _recorders.append(recorder)


def record_automatic_decision(decision: AutomaticDecision) -> None:
    """Call inside the deciding transaction; recorders write their rows in it too."""
    for recorder in _recorders:
        recorder(decision)
