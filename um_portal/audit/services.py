"""Write audit records. Call these inside the transaction of the change they describe."""

import uuid

from .models import AccessLog, AuditEvent


def audit_access(*, user, case_id: uuid.UUID, action: str = "view", object_id: str = "") -> None:
    """Record that `user` read a case (or a file of it)."""
    AccessLog.objects.create(user=user, case_id=case_id, action=action, object_id=object_id)


def audit_event(
    *,
    actor,
    action: str,
    case_id: uuid.UUID | None = None,
    summary: str = "",
    data: dict | None = None,
) -> AuditEvent:
    """Record a change; `actor` is None for the system."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        case_id=case_id,
        summary=summary[:300],
        data=data or {},
    )
