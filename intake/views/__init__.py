"""Intake workspace views (HTML). Split by page: queue, new request entry, case page, actions."""

from .actions import case_action
from .case import (
    case_detail,
    coverage_verify_view,
    document_add,
    document_download,
    eligibility_verify,
    note_add,
    provider_correct_view,
)
from .entry import care_request_new, provider_options, service_line_row
from .queue import queue

__all__ = [
    "care_request_new",
    "case_action",
    "case_detail",
    "coverage_verify_view",
    "document_add",
    "document_download",
    "eligibility_verify",
    "note_add",
    "provider_correct_view",
    "provider_options",
    "queue",
    "service_line_row",
]
