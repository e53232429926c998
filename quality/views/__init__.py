"""HTML views of the quality app, one module per sub-domain."""

from .feedback import feedback_csv, feedback_page
from .goals import goal_edit, goals_page
from .setup import setup_page

__all__ = ["feedback_csv", "feedback_page", "goal_edit", "goals_page", "setup_page"]
