"""Determinations write services: decide (the physician's decision), reopen, recorder (decisions
from rules, intake and nurses), outbox and delivery (the letter pipeline), letters (content)."""

from .decide import determination_issue, determination_outcome
from .reopen import determination_reopen
from .validation import LineDecisionInput

__all__ = [
    "LineDecisionInput",
    "determination_issue",
    "determination_outcome",
    "determination_reopen",
]
