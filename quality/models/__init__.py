from .feedback import Feedback
from .goals import Goal

__all__ = ["Feedback", "Goal"]
