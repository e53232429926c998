"""Scheduling HTML views, split by who uses them."""

from .availability import availability, availability_exception_delete, availability_rule_delete
from .calendar import calendar, free_slots
from .cases import book, case, p2p_cancel, p2p_detail, p2p_invite, p2p_reschedule
from .portal import portal_cancel, portal_request, portal_reschedule

__all__ = [
    "availability",
    "availability_exception_delete",
    "availability_rule_delete",
    "book",
    "calendar",
    "case",
    "free_slots",
    "p2p_cancel",
    "p2p_detail",
    "p2p_invite",
    "p2p_reschedule",
    "portal_cancel",
    "portal_request",
    "portal_reschedule",
]
