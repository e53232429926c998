"""The UM program's own records, one module per sub-domain: goals, IRR audits (and, later,
referrals and feedback)."""

from .goals import Goal
from .irr import (
    Decision,
    IrrAnswer,
    IrrAssignment,
    IrrAudit,
    IrrItem,
    IrrSettings,
    Vignette,
    VignetteAnswer,
)

__all__ = [
    "Decision",
    "Goal",
    "IrrAnswer",
    "IrrAssignment",
    "IrrAudit",
    "IrrItem",
    "IrrSettings",
    "Vignette",
    "VignetteAnswer",
]
