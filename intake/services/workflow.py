"""Intake's workflow actions; each wraps one transition with what must happen alongside it."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from um_portal.audit.services import audit_event
from um_portal.lib.errors import ValidationFailed
from um_portal.lib.tasks import enqueue_on_commit

from ..models import CareRequest, InformationRequest, ServiceLine
from ..rules.routing import rules_route
from .decision_hooks import DecisionNotice, notify_decision
from .transitions import care_request_transition


@transaction.atomic
def care_request_triage(*, care_request: CareRequest, actor, note: str = "") -> CareRequest:
    """Send a verified, complete request to clinical review, in the queue the routing rules pick."""
    care_request = care_request_transition(
        care_request=care_request, name="triage", actor=actor, note=note
    )
    queue = rules_route(care_request=care_request)
    CareRequest.objects.filter(pk=care_request.pk).update(queue=queue)
    care_request.refresh_from_db()
    return care_request


@transaction.atomic
def care_request_request_info(
    *, care_request: CareRequest, actor, description: str, due_by: datetime
) -> InformationRequest:
    """Pend the case for information. The decision clock keeps running (CMS-0057-F)."""
    description = (description or "").strip()
    errors: dict[str, list[str]] = {}
    if not description:
        errors["description"] = ["Say what the provider must send."]
    if due_by is None or due_by <= timezone.now():
        errors["due_by"] = ["Choose a time in the future."]
    if errors:
        raise ValidationFailed("The request for information has errors.", field_errors=errors)
    care_request_transition(
        care_request=care_request, name="request_info", actor=actor, note=description
    )
    info = InformationRequest.objects.create(
        care_request=care_request, requested_by=actor, description=description, due_by=due_by
    )
    from ..tasks import information_request_notify  # the task module imports the services

    enqueue_on_commit(information_request_notify, str(info.pk))
    return info


@transaction.atomic
def care_request_mark_info_received(
    *, care_request: CareRequest, actor, response: str = "", system: bool = False
) -> CareRequest:
    """The provider answered (or intake received it by fax): back to the stage that asked."""
    care_request = care_request_transition(
        care_request=care_request, name="info_received", actor=actor, note=response, system=system
    )
    InformationRequest.objects.filter(care_request=care_request, answered_at__isnull=True).update(
        answered_at=timezone.now(), answered_by=None if system else actor, response=response
    )
    return care_request


@transaction.atomic
def care_request_close_not_required(
    *,
    care_request: CareRequest,
    actor,
    note: str = "",
    system: bool = False,
    rules_version: dict | None = None,
) -> CareRequest:
    """Close the request because none of its services needs prior authorization.
    `rules_version`: the rule versions the engine used, when it is the engine that closes."""
    care_request = care_request_transition(
        care_request=care_request, name="close_not_required", actor=actor, note=note, system=system
    )
    ServiceLine.objects.filter(care_request=care_request).update(
        decision=ServiceLine.Decision.NOT_REQUIRED
    )
    CareRequest.objects.filter(pk=care_request.pk).update(decided_at=timezone.now())
    care_request.refresh_from_db()
    notify_decision(
        DecisionNotice(
            care_request=care_request,
            outcome="not_required",
            source="rules" if system else "intake",
            actor=None if system else actor,
            explanation=note,
            rules_version=rules_version or {},
        )
    )
    return care_request


@transaction.atomic
def care_request_void(
    *, care_request: CareRequest, actor, reason: str, duplicate_of: CareRequest | None = None
) -> CareRequest:
    """Void a duplicate or a request entered in error; the reason is required."""
    if not (reason or "").strip():
        raise ValidationFailed(
            "Give the reason for voiding.", field_errors={"reason": ["Required."]}
        )
    care_request = care_request_transition(
        care_request=care_request, name="void", actor=actor, note=reason
    )
    if duplicate_of is not None:
        audit_event(
            actor=actor,
            action="care_request.duplicate",
            case_id=care_request.pk,
            summary=f"Voided as a duplicate of {duplicate_of.reference}.",
            data={"duplicate_of": str(duplicate_of.pk)},
        )
    return care_request


@transaction.atomic
def care_request_withdraw(*, care_request: CareRequest, actor, reason: str = "") -> CareRequest:
    """The provider (or intake on their behalf) withdraws an open request."""
    return care_request_transition(
        care_request=care_request, name="withdraw", actor=actor, note=reason
    )
