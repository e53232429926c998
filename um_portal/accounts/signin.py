"""Sign-in throttling and its audit trail (django-axes does the counting).

HIPAA 45 CFR 164.308(a)(5)(ii)(C) asks for log-in monitoring: every failed sign-in, every lockout
and every unlock is an AuditEvent. The attempted username is recorded as typed; whether such an
account exists is never shown to the person signing in.
"""

from datetime import timedelta

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from um_portal.audit.services import audit_event


def sign_in_failure_record(*, username: str, ip_address: str | None, path: str) -> None:
    """Audit one failed sign-in (wrong password, unknown user, or refused while locked)."""
    audit_event(
        actor=None,
        action="sign_in.failed",
        summary=f"Failed sign-in as {username!r} from {ip_address or 'unknown address'}."[:300],
        data={"username": username[:150], "ip_address": ip_address, "path": path[:200]},
    )


def sign_in_lockout_record(*, username: str | None, ip_address: str | None) -> None:
    """Audit that sign-in is refused for this username or address until the cool-off ends."""
    audit_event(
        actor=None,
        action="sign_in.locked_out",
        summary=f"Sign-in locked for {username!r} / {ip_address or 'unknown address'}."[:300],
        data={
            "username": (username or "")[:150],
            "ip_address": ip_address,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": settings.LOGIN_COOLOFF_MINUTES,
        },
    )


@transaction.atomic
def sign_in_unlock(*, actor, username: str = "", ip_address: str = "") -> int:
    """Clear the failed attempts of a username or a client address, so it may sign in again.

    Returns how many attempt records were removed (0: nothing was locked)."""
    if not username and not ip_address:
        raise ValueError("Name a username or an address to unlock.")
    named = {"username": username, "ip_address": ip_address}
    attempts = AccessAttempt.objects.filter(**{k: v for k, v in named.items() if v})
    removed = attempts.count()
    axes_reset(username=username or None, ip=ip_address or None)
    audit_event(
        actor=actor,
        action="sign_in.unlocked",
        summary=f"Sign-in unlocked for {username or ip_address!r}."[:300],
        data={"username": username, "ip_address": ip_address, "attempts_removed": removed},
    )
    return removed


def sign_in_lockouts() -> dict[str, list[dict]]:
    """Usernames and addresses with failures inside the cool-off window, most failures first,
    each flagged `locked` when it has reached the limit."""
    since = timezone.now() - timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES)
    recent = AccessAttempt.objects.filter(attempt_time__gte=since)
    limit = settings.AXES_FAILURE_LIMIT

    def grouped(field: str) -> list[dict]:
        rows = (
            recent.exclude(**{f"{field}__isnull": True})
            .values(field)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .order_by("-failures", field)
        )
        return [
            {
                "key": row[field],
                "failures": row["failures"],
                "last": row["last"],
                "locked": row["failures"] >= limit,
            }
            for row in rows
        ]

    return {"usernames": grouped("username"), "addresses": grouped("ip_address")}
