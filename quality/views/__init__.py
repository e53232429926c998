"""HTML views of the quality app, one module per sub-domain."""

from .feedback import feedback_csv, feedback_page
from .goals import goal_edit, goals_page
from .irr import irr_complete, irr_detail, irr_list, irr_new, irr_results
from .irr_export import irr_results_csv, irr_results_pdf
from .irr_review import irr_assignment, irr_mine
from .setup import setup_page

__all__ = [
    "feedback_csv",
    "feedback_page",
    "goal_edit",
    "goals_page",
    "irr_assignment",
    "irr_complete",
    "irr_detail",
    "irr_list",
    "irr_mine",
    "irr_new",
    "irr_results",
    "irr_results_csv",
    "irr_results_pdf",
    "setup_page",
]
