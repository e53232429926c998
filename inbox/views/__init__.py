"""Inbox pages (HTML): the list in inbox.py, the review screen in review.py, and how the review
screen's entry form is filled from the fax in prefill.py."""

from .inbox import claim, claim_next, inbox, page_image, release, upload
from .review import attach, create_case, review

__all__ = [
    "attach",
    "claim",
    "claim_next",
    "create_case",
    "inbox",
    "page_image",
    "release",
    "review",
    "upload",
]
