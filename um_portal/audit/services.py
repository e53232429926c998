"""Write audit records. Call these inside the transaction of the change they describe."""

import uuid
from collections.abc import Iterable

from .models import AccessLog, AuditEvent

Channel = AccessLog.Channel
# The channel of the single-case reads recorded before channels had their own column.
_CHANNEL_OF_ACTION = {"api_read": Channel.API, "portal_view": Channel.PORTAL, "view": Channel.STAFF}


def audit_access(
    *,
    user,
    case_id: uuid.UUID,
    action: str = "view",
    object_id: str = "",
    channel: str = "",
) -> None:
    """Record that `user` read a case (or a file of it)."""
    AccessLog.objects.create(
        user=user,
        case_id=case_id,
        action=action,
        object_id=object_id,
        channel=channel or _CHANNEL_OF_ACTION.get(action, ""),
    )


def audit_access_many(
    *,
    user,
    action: str,
    channel: str,
    case_ids: Iterable[uuid.UUID] = (),
    member_ids: Iterable[uuid.UUID] = (),
) -> None:
    """Record that one response showed `user` these cases (and members): one row each, written
    in one INSERT; nothing at all when the response showed none."""
    rows = [
        AccessLog(user=user, case_id=case_id, action=action, channel=channel)
        for case_id in dict.fromkeys(case_ids)
    ]
    rows += [
        AccessLog(user=user, member_id=member_id, action=action, channel=channel)
        for member_id in dict.fromkeys(member_ids)
    ]
    if rows:
        AccessLog.objects.bulk_create(rows)


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
