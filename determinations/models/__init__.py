"""Determinations (the decision of record), their line decisions, and the letters they send."""

from .determination import Determination, LineDecision
from .letter import Letter
from .reference import AppealPolicy, DenialReason

__all__ = ["AppealPolicy", "DenialReason", "Determination", "Letter", "LineDecision"]
