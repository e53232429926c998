"""Creating and receiving care requests: the clock starts here (DESIGN §5)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from um_portal.audit.services import audit_event
from um_portal.lib.codes import icd10_description, icd10_error, normalize_icd10, service_code_error
from um_portal.lib.errors import ValidationFailed

from ..models import (
    CareRequest,
    Coverage,
    Diagnosis,
    Provider,
    ServiceCategory,
    ServiceLine,
    TurnaroundStandard,
)
from ..rules.checklist import checklist_build
from ..rules.services import rules_apply_at_receipt
from .access import care_request_grant_to_organization
from .transitions import care_request_transition

__all__ = ["ServiceLineInput", "care_request_create", "care_request_submit", "checklist_build"]


@dataclass(frozen=True)
class ServiceLineInput:
    code_system: str
    code: str
    category: ServiceCategory
    units: int
    start_date: date
    end_date: date
    place_of_service: str = ""
    modifiers: str = ""
    description: str = ""


def turnaround_due_at(*, line_of_business: str, priority: str, received_at: datetime) -> datetime:
    """When a decision is due, from the turnaround-standards table."""
    standard = TurnaroundStandard.objects.filter(
        line_of_business=line_of_business, priority=priority
    ).first()
    if standard is None:
        raise ValidationFailed(
            f"No turnaround standard is configured for {line_of_business} / {priority}."
        )
    return received_at + timedelta(hours=standard.hours)


def validate_request_input(
    *, coverage: Coverage, lines: list[ServiceLineInput], diagnoses: list[str]
) -> dict[str, list[str]]:
    """Field errors for a new request; empty when it can be saved."""
    errors: dict[str, list[str]] = {}
    if not lines:
        errors.setdefault("lines", []).append("Add at least one service line.")
    for i, line in enumerate(lines, start=1):
        code_error = service_code_error(line.code_system, line.code)
        if code_error:
            errors.setdefault(f"lines[{i}].code", []).append(code_error)
        if line.units < 1:
            errors.setdefault(f"lines[{i}].units", []).append("Units must be at least 1.")
        if line.end_date < line.start_date:
            errors.setdefault(f"lines[{i}].end_date", []).append(
                "The end date is before the start date."
            )
        elif not (
            coverage.in_force_on(line.start_date, line.end_date)
            # Unverified coverage (from a PAS submission) is received and left for intake to
            # verify; the rules never decide on it.
            or coverage.status == Coverage.Status.UNVERIFIED
        ):
            errors.setdefault(f"lines[{i}].start_date", []).append(
                f"Coverage {coverage.member_number} is not in force from {line.start_date} "
                f"to {line.end_date}."
            )
    if not diagnoses:
        errors.setdefault("diagnoses", []).append("Add at least one ICD-10-CM diagnosis.")
    for code in diagnoses:
        message = icd10_error(code)
        if message:
            errors.setdefault("diagnoses", []).append(message)
    return errors


@transaction.atomic
def care_request_create(
    *,
    actor,
    coverage: Coverage,
    requesting_provider: Provider,
    servicing_provider: Provider,
    lines: list[ServiceLineInput],
    diagnoses: list[str],
    channel: str,
    priority: str,
    request_type: str,
    review_setting: str,
    facility: Provider | None = None,
    clinical_summary: str = "",
    external_id: str = "",
    external_system: str = "",
    submit: bool = True,
    received_at: datetime | None = None,
) -> CareRequest:
    """Create a request with its lines, diagnoses and checklist; by default also receive it.
    `received_at`: when it really arrived (a fax read later), if not now.

    Raises ValidationFailed with field errors and writes nothing when the input is invalid.
    """
    errors = validate_request_input(coverage=coverage, lines=lines, diagnoses=diagnoses)
    if errors:
        raise ValidationFailed("The request has errors.", field_errors=errors)
    care_request = CareRequest.objects.create(
        member=coverage.member,
        coverage=coverage,
        requesting_provider=requesting_provider,
        servicing_provider=servicing_provider,
        facility=facility,
        provider_organization_id=requesting_provider.organization_id,
        channel=channel,
        priority=priority,
        request_type=request_type,
        review_setting=review_setting,
        clinical_summary=clinical_summary,
        external_id=external_id,
        external_system=external_system,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    service_lines = ServiceLine.objects.bulk_create(
        ServiceLine(
            care_request=care_request,
            sequence=i,
            code_system=line.code_system,
            code=line.code.strip().upper(),
            category=line.category,
            units=line.units,
            start_date=line.start_date,
            end_date=line.end_date,
            place_of_service=line.place_of_service,
            modifiers=line.modifiers,
            description=line.description,
        )
        for i, line in enumerate(lines, start=1)
    )
    Diagnosis.objects.bulk_create(
        Diagnosis(
            care_request=care_request,
            sequence=i,
            code=normalize_icd10(code),
            description=icd10_description(code),
        )
        for i, code in enumerate(dict.fromkeys(normalize_icd10(c) for c in diagnoses), start=1)
    )
    checklist_build(care_request=care_request, lines=service_lines)
    care_request_grant_to_organization(care_requests=[care_request])
    audit_event(
        actor=actor,
        action="care_request.created",
        case_id=care_request.pk,
        summary=f"Request {care_request.reference} entered via "
        f"{care_request.get_channel_display()}.",
    )
    if submit:
        care_request = care_request_submit(
            care_request=care_request, actor=actor, received_at=received_at
        )
    return care_request


@transaction.atomic
def care_request_submit(
    *,
    care_request: CareRequest,
    actor,
    system: bool = False,
    received_at: datetime | None = None,
) -> CareRequest:
    """Receive a draft: start the clock (received_at, due_at), move it to `submitted`, and let the
    rules engine decide in the same transaction: close as not required, approve, or leave it for
    intake (the returned case has the resulting status).

    `received_at` is for a request that arrived before it was entered (a fax waiting in the
    inbox): the clock runs from its arrival, not from when a person got to it."""
    # Read before the transition refreshes the caller's instance (which drops its cached
    # relations): care_request_create's callers pass the coverage with its plan loaded.
    coverage = care_request.coverage
    care_request = care_request_transition(
        care_request=care_request, name="submit", actor=actor, system=system
    )
    if coverage.pk != care_request.coverage_id:  # changed before the case was locked
        coverage = Coverage.objects.select_related("plan").get(pk=care_request.coverage_id)
    now = received_at or timezone.now()
    CareRequest.objects.filter(pk=care_request.pk).update(
        received_at=now,
        due_at=turnaround_due_at(
            line_of_business=coverage.plan.line_of_business,
            priority=care_request.priority,
            received_at=now,
        ),
    )
    rules_apply_at_receipt(care_request=care_request)
    care_request.refresh_from_db()
    return care_request
