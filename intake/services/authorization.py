"""Authorization numbers and approving service lines as requested."""

import secrets

from django.db.models import F
from django.utils import timezone

from ..models import CareRequest, ServiceLine


def new_auth_number() -> str:
    """A unique authorization number, e.g. A2611224K7QZ9 (date + random, never the case key)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    while True:
        number = f"A{timezone.localdate():%y%m%d}" + "".join(
            secrets.choice(alphabet) for _ in range(6)
        )
        if not CareRequest.objects.filter(auth_number=number).exists():
            return number


def service_lines_approve_as_requested(*, care_request: CareRequest) -> str:
    """Approve every pending line with its requested units and dates; issue the authorization
    number (once per case). Call inside the transaction that approves the case."""
    # One UPDATE for every line, however many the request has.
    care_request.service_lines.filter(decision=ServiceLine.Decision.PENDING).update(
        decision=ServiceLine.Decision.APPROVED,
        approved_units=F("units"),
        approved_start=F("start_date"),
        approved_end=F("end_date"),
    )
    number = care_request.auth_number or new_auth_number()
    decided_at = timezone.now()
    CareRequest.objects.filter(pk=care_request.pk).update(auth_number=number, decided_at=decided_at)
    # The two fields just written, without reading the row back.
    care_request.auth_number, care_request.decided_at = number, decided_at
    # Lines prefetched before the UPDATE are stale now (a refresh would have dropped them too).
    getattr(care_request, "_prefetched_objects_cache", {}).pop("service_lines", None)
    return number


def service_lines_approve_some(*, care_request: CareRequest, line_ids: list) -> str:
    """Approve the given pending lines as requested and issue the authorization number, leaving
    the other lines pending (a nurse approving what meets criteria and referring the rest)."""
    care_request.service_lines.filter(
        pk__in=line_ids, decision=ServiceLine.Decision.PENDING
    ).update(
        decision=ServiceLine.Decision.APPROVED,
        approved_units=F("units"),
        approved_start=F("start_date"),
        approved_end=F("end_date"),
    )
    number = care_request.auth_number or new_auth_number()
    CareRequest.objects.filter(pk=care_request.pk).update(auth_number=number)
    care_request.refresh_from_db()
    return number
