"""What the kind of review (prospective, concurrent, retrospective) changes at receipt: the date
rules every channel applies, the priority, and the hooks through which the stays app (a higher
app, ADR 0001's pattern) links a concurrent request to the member's stay and tells the clock
when the approved days run out."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from ..models import CareRequest, Priority

RequestType = CareRequest.RequestType

# Channels where an intake specialist keys the request in: a prospective request for a past date
# is converted (and the reason recorded) instead of being sent back to the caller.
INTAKE_CHANNELS = (CareRequest.Channel.FAX, CareRequest.Channel.PHONE, CareRequest.Channel.MAIL)

PAST_PROSPECTIVE = (
    "The service date {day} is in the past: a prospective request is for care to come. "
    "Send it as a retrospective request."
)
FUTURE_RETROSPECTIVE = (
    "The service date {day} is in the future: a retrospective request is for a service "
    "already given. Send it as a prospective request."
)


# A payer's claim number (ICN/DCN) or a facility's patient account number: letters and digits,
# with the separators claim systems print.
CLAIM_NUMBER_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9./-]{0,39}$")


def claim_number_errors(*, request_type: str, claim_number: str) -> dict[str, list[str]]:
    """Field errors for the claim number a retrospective request concerns (optional: the
    service may not be billed yet). Only a retrospective request carries one: on another kind
    it is refused rather than silently dropped, so the sender sees the request type is wrong."""
    claim_number = (claim_number or "").strip()
    if not claim_number:
        return {}
    if request_type != RequestType.RETROSPECTIVE:
        return {
            "claim_number": [
                "A claim number belongs on a retrospective request (a service already given); "
                "leave it empty, or send the request as retrospective."
            ]
        }
    if not CLAIM_NUMBER_RE.match(claim_number):
        return {
            "claim_number": [
                "A claim number is 1 to 40 letters and digits (with '-', '.' or '/'), "
                "starting with a letter or digit."
            ]
        }
    return {}


@dataclass(frozen=True)
class DatedLine:
    start_date: date
    end_date: date


def service_date_errors(
    *, request_type: str, lines: list[DatedLine], today: date
) -> dict[str, list[str]]:
    """Field errors (keyed `lines[<n>].start_date` / `.end_date`) for service dates that do not
    fit the kind of review. Concurrent requests span the stay, past and future, so only the
    stay hook judges them."""
    errors: dict[str, list[str]] = {}
    for i, line in enumerate(lines, start=1):
        if request_type == RequestType.PROSPECTIVE and line.start_date < today:
            errors.setdefault(f"lines[{i}].start_date", []).append(
                PAST_PROSPECTIVE.format(day=line.start_date.isoformat())
            )
        elif request_type == RequestType.RETROSPECTIVE:
            for field, day in (("start_date", line.start_date), ("end_date", line.end_date)):
                if day > today:
                    errors.setdefault(f"lines[{i}].{field}", []).append(
                        FUTURE_RETROSPECTIVE.format(day=day.isoformat())
                    )
    return errors


def should_convert_to_retrospective(
    *, request_type: str, channel: str, lines: list[DatedLine], today: date
) -> bool:
    """At intake a prospective request whose every service date is past is a retrospective one
    (the caller describes care already given); other channels are told to resend it."""
    return (
        request_type == RequestType.PROSPECTIVE
        and channel in INTAKE_CHANNELS
        and bool(lines)
        and all(line.end_date <= today and line.start_date < today for line in lines)
    )


def priority_for(*, request_type: str, priority: str) -> str:
    """Concurrent review is urgent by nature (the member is in the bed); a retrospective review
    never is, since the care was already given."""
    if request_type == RequestType.CONCURRENT:
        return Priority.EXPEDITED
    if request_type == RequestType.RETROSPECTIVE:
        return Priority.STANDARD
    return priority


@dataclass(frozen=True)
class StayHooks:
    """Registered by the stays app. `concurrent_received(care_request, actor)` links the request
    to the member's open stay (or opens one) and raises ValidationFailed when it cannot;
    `approved_days_end(care_request)` is when the days approved before this request run out
    (None when none are)."""

    concurrent_received: Callable[[CareRequest, object], None]
    approved_days_end: Callable[[CareRequest], datetime | None]


_stay_hooks: list[StayHooks] = []


def register_stay_hooks(hooks: StayHooks) -> None:
    _stay_hooks[:] = [hooks]


def stay_hooks() -> StayHooks | None:
    return _stay_hooks[0] if _stay_hooks else None
