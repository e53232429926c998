"""Intake domain: reference data, care requests and what hangs off them (DESIGN §3)."""

from .care_request import CareRequest, CareRequestStatus, StatusEvent
from .case_items import (
    CaseNote,
    ChecklistItem,
    Diagnosis,
    Document,
    DocumentKind,
    EligibilityCheck,
    InformationRequest,
    ServiceLine,
)
from .permissions import CareRequestGroupObjectPermission
from .reference import (
    Coverage,
    LineOfBusiness,
    Member,
    Plan,
    Priority,
    Provider,
    RequestTiming,
    ServiceCategory,
    ServiceTranslation,
    TurnaroundStandard,
)
from .routing import Queue, Skill
from .rules import (
    AuthRequirementRule,
    AutoApprovalRule,
    ChecklistRequirement,
    DuplicateFlag,
    RuleEvaluation,
)

__all__ = [
    "AuthRequirementRule",
    "AutoApprovalRule",
    "CareRequest",
    "CareRequestGroupObjectPermission",
    "CareRequestStatus",
    "CaseNote",
    "ChecklistItem",
    "ChecklistRequirement",
    "Coverage",
    "Diagnosis",
    "Document",
    "DuplicateFlag",
    "DocumentKind",
    "EligibilityCheck",
    "InformationRequest",
    "LineOfBusiness",
    "Member",
    "Plan",
    "Priority",
    "Queue",
    "RuleEvaluation",
    "Provider",
    "ServiceCategory",
    "ServiceTranslation",
    "ServiceLine",
    "Skill",
    "StatusEvent",
    "RequestTiming",
    "TurnaroundStandard",
]
