"""The UM program's own records, one module per sub-domain: goals, IRR audits, provider
feedback."""

from .feedback import Feedback
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
    "Feedback",
    "Goal",
    "IrrAnswer",
    "IrrAssignment",
    "IrrAudit",
    "IrrItem",
    "IrrSettings",
    "Vignette",
    "VignetteAnswer",
]
