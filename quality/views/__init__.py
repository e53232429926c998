"""HTML views of the quality app, one module per sub-domain."""

from .goals import goal_edit, goals_page
from .setup import setup_page

__all__ = ["goal_edit", "goals_page", "setup_page"]
