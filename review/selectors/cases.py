"""Reads for the 360° case view: one query per kind of thing, however many of each."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from intake.models import (
    CareRequest,
    CaseNote,
    ChecklistItem,
    Diagnosis,
    Document,
    EligibilityCheck,
    InformationRequest,
    ServiceLine,
    StatusEvent,
)
from intake.models.care_request import CareRequestStatus as S
from um_portal.accounts.roles import CLINICAL_ROLES
from um_portal.audit.selectors import audit_event_list_for_case
from um_portal.lib.errors import NotFound

from ..models import NurseReview
from .clock import Clock, clock_for
from .criteria import criteria_set_for_line_map
from .nurse_review import ReviewOutcome, nurse_review_latest, review_outcome

EARLIER_AUTHORIZATIONS_SHOWN = 10


def care_request_get_by_reference_for_reviewer(*, user, reference: str) -> CareRequest | None:
    """A received case by its readable reference, for a clinical reviewer; None otherwise."""
    if not user.role_names & CLINICAL_ROLES or not reference:
        return None
    return CareRequest.objects.exclude(status=S.DRAFT).filter(reference=reference).first()


def care_request_get_for_reviewer(*, user, case_id: uuid.UUID) -> CareRequest:
    """A case a clinical reviewer may open, with its parties; 404 otherwise. A provider's draft
    has not been received and is not the plan's to see."""
    if not user.role_names & CLINICAL_ROLES:
        raise NotFound("No such case.")
    case = (
        CareRequest.objects.exclude(status=S.DRAFT)
        .select_related(
            "member",
            "coverage__plan",
            "requesting_provider",
            "servicing_provider",
            "facility",
            "provider_organization",
            "queue",
            "assigned_to",
        )
        # What the determinations panel shows (its template names these lookups): without them
        # each determination cost four more queries.
        .prefetch_related(
            "determinations__previous",
            "determinations__line_decisions__service_line",
            "determinations__letters",
        )
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFound("No such case.")
    return case


@dataclass
class HistoryEntry:
    at: datetime
    kind: str  # "status" or "audit"
    actor: object | None
    title: str
    detail: str


@dataclass
class CaseView:
    case: CareRequest
    clock: Clock
    lines: list[ServiceLine]
    diagnoses: list[Diagnosis]
    documents: list[Document]
    checklist: list[ChecklistItem]
    notes: list[CaseNote]
    eligibility: EligibilityCheck | None
    earlier: list[CareRequest]
    information_requests: list[InformationRequest]
    history: list[HistoryEntry]
    nurse_review: NurseReview | None
    outcome: ReviewOutcome

    @property
    def lines_decided(self) -> int:
        return sum(1 for line in self.lines if line.decision != ServiceLine.Decision.PENDING)

    @property
    def missing_documents(self) -> list[ChecklistItem]:
        return [item for item in self.checklist if item.is_missing]


def _history(case: CareRequest) -> list[HistoryEntry]:
    entries = [
        HistoryEntry(
            at=e.at,
            kind="status",
            actor=e.actor,
            title=f"{e.get_from_status_display()} → {e.get_to_status_display()}",
            detail=e.note,
        )
        for e in StatusEvent.objects.filter(care_request=case).select_related("actor")
    ]
    entries += [
        HistoryEntry(at=e.at, kind="audit", actor=e.actor, title=e.summary or e.action, detail="")
        for e in audit_event_list_for_case(case_id=case.pk)
    ]
    # Status events sort before audit events written in the same instant: the transition is
    # what the audit event explains.
    return sorted(entries, key=lambda e: (e.at, e.kind != "status"))


def case_view_for_reviewer(*, case: CareRequest) -> CaseView:
    """Everything the case view shows, in a fixed number of queries."""
    lines = list(
        ServiceLine.objects.filter(care_request=case)
        .select_related("category")
        .order_by("sequence")
    )
    review = nurse_review_latest(care_request=case)
    outcome = review_outcome(
        lines=lines, criteria_map=criteria_set_for_line_map(lines), review=review
    )
    return CaseView(
        case=case,
        clock=clock_for(case),
        lines=lines,
        diagnoses=list(Diagnosis.objects.filter(care_request=case).order_by("sequence")),
        documents=list(
            Document.objects.filter(care_request=case)
            .select_related("uploaded_by")
            .defer("uploaded_by__password")
            .order_by("uploaded_at")
        ),
        checklist=list(ChecklistItem.objects.filter(care_request=case).select_related("document")),
        notes=list(
            CaseNote.objects.filter(care_request=case)
            .select_related("author")
            .order_by("created_at")
        ),
        eligibility=EligibilityCheck.objects.filter(care_request=case)
        .select_related("checked_by")
        .order_by("-checked_at")
        .first(),
        earlier=list(
            CareRequest.objects.filter(member_id=case.member_id)
            .exclude(pk=case.pk)
            .exclude(status=S.DRAFT)
            .order_by("-received_at")[:EARLIER_AUTHORIZATIONS_SHOWN]
        ),
        information_requests=list(
            InformationRequest.objects.filter(care_request=case).order_by("-requested_at")
        ),
        history=_history(case),
        nurse_review=review,
        outcome=outcome,
    )


def document_get_for_reviewer(*, case: CareRequest, document_id: uuid.UUID) -> Document:
    document = Document.objects.filter(care_request=case, pk=document_id).first()
    if document is None:
        raise NotFound("No such document.")
    return document
