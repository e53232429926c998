"""Determinations (the decision of record), their line decisions, and the letters they send."""

from .determination import Determination, LineDecision
from .letter import Letter

__all__ = ["Determination", "Letter", "LineDecision"]
