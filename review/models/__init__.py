"""Clinical review: reviewer profiles, medical-necessity criteria and nurse reviews."""

from .criteria import CriteriaSet, Criterion
from .nurse_review import CriterionAnswer, LineJustification, NurseReview
from .reviewers import ReviewerProfile

__all__ = [
    "CriteriaSet",
    "Criterion",
    "CriterionAnswer",
    "LineJustification",
    "NurseReview",
    "ReviewerProfile",
]
