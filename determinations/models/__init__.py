"""Determinations (the decision of record), their line decisions, and the letters they send."""

from .administrative import AdministrativeAuthority, AdministrativeLineDenial, NetworkException
from .determination import Determination, LineDecision
from .letter import Letter
from .reference import AppealPolicy, AppealTurnaround, DenialReason, ServiceTiming

__all__ = [
    "AdministrativeAuthority",
    "AdministrativeLineDenial",
    "AppealPolicy",
    "AppealTurnaround",
    "DenialReason",
    "Determination",
    "Letter",
    "LineDecision",
    "NetworkException",
    "ServiceTiming",
]
