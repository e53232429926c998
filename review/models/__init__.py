"""Clinical review: reviewer profiles, medical-necessity criteria and nurse reviews."""

from .criteria import CriteriaSet, Criterion
from .notifications import Notification
from .nurse_review import CriterionAnswer, LineJustification, NurseReview
from .reviewers import ReviewerProfile, SpecialtyGroup

__all__ = [
    "CriteriaSet",
    "Criterion",
    "CriterionAnswer",
    "Notification",
    "LineJustification",
    "NurseReview",
    "ReviewerProfile",
    "SpecialtyGroup",
]
