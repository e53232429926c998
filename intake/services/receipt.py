"""Creating and receiving care requests: the clock starts here (DESIGN §5)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from intake.apis.coding import catalog_description
from um_portal.audit.services import audit_event
from um_portal.lib.codes import icd10_description, icd10_error, normalize_icd10, service_code_error
from um_portal.lib.errors import ValidationFailed

from ..models import (
    CareRequest,
    CaseNote,
    Coverage,
    Diagnosis,
    Provider,
    ServiceCategory,
    ServiceLine,
    TurnaroundStandard,
)
from ..rules import reference
from ..rules.checklist import checklist_build
from ..rules.services import rules_apply_at_receipt
from .access import care_request_grant_to_organization
from .review_types import (
    RequestType,
    claim_number_errors,
    priority_for,
    service_date_errors,
    should_convert_to_retrospective,
    stay_hooks,
)
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


def turnaround_standard_for(
    *, line_of_business: str, priority: str, request_type: str = "prospective", timing: str = "any"
) -> TurnaroundStandard:
    """The clock row for this line of business, priority and kind of review: the one for the
    timing when there is one, else the one for any timing."""
    # The clocks are reference data, read once per process (intake/rules/reference.py).
    standards = reference.snapshot().turnaround
    standard = standards.get((line_of_business, priority, request_type, timing)) or standards.get(
        (line_of_business, priority, request_type, "any")
    )
    if standard is None:
        raise ValidationFailed(
            f"No turnaround standard is configured for {line_of_business} / {request_type} / "
            f"{priority}."
        )
    return standard


def turnaround_due_at(
    *,
    line_of_business: str,
    priority: str,
    received_at: datetime,
    request_type: str = "prospective",
    timing: str = "any",
) -> datetime:
    """When a decision is due, from the turnaround-standards table."""
    standard = turnaround_standard_for(
        line_of_business=line_of_business,
        priority=priority,
        request_type=request_type,
        timing=timing,
    )
    return received_at + timedelta(hours=standard.hours)


def concurrent_timing(*, care_request: CareRequest, received_at: datetime) -> str:
    """ "early" when the extension is asked at least 24 hours before the approved days run out
    (29 CFR 2560.503-1(f)(2)(ii)), else "late" (also when no days are approved yet)."""
    hooks = stay_hooks()
    days_end = hooks.approved_days_end(care_request) if hooks else None
    if days_end is not None and days_end - received_at >= timedelta(hours=24):
        return "early"
    return "late"


def care_request_due_at(
    *, care_request: CareRequest, line_of_business: str, received_at: datetime
) -> datetime:
    """The decision due time of a received case, by its line of business, priority and kind."""
    timing = "any"
    if care_request.request_type == RequestType.CONCURRENT:
        timing = concurrent_timing(care_request=care_request, received_at=received_at)
    return turnaround_due_at(
        line_of_business=line_of_business,
        priority=care_request.priority,
        received_at=received_at,
        request_type=care_request.request_type,
        timing=timing,
    )


def validate_request_input(
    *,
    coverage: Coverage,
    lines: list[ServiceLineInput],
    diagnoses: list[str],
    request_type: str | None = None,
) -> dict[str, list[str]]:
    """Field errors for a new request; empty when it can be saved. With `request_type`, also
    the date rules of the kind of review (every channel passes it)."""
    errors: dict[str, list[str]] = {}
    if request_type is not None:
        errors.update(
            service_date_errors(request_type=request_type, lines=lines, today=timezone.localdate())
        )
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


# A receipt time further back than this is almost surely a mistyped date, not a late-opened fax.
RECEIPT_BACKDATE_LIMIT = timedelta(days=30)
BACKDATABLE_CHANNELS = (CareRequest.Channel.FAX, CareRequest.Channel.MAIL)


def validate_receipt_time(
    *, channel: str, received_at: datetime | None, reason: str, now: datetime
) -> dict[str, list[str]]:
    """Field errors for a receipt time set by hand (the clock runs from real receipt)."""
    if received_at is None:
        return {}
    errors: dict[str, list[str]] = {}
    if channel not in BACKDATABLE_CHANNELS:
        errors["received_at"] = ["Only a fax or mail request can have an earlier receipt time."]
    elif received_at > now:
        errors["received_at"] = ["The receipt time cannot be in the future."]
    elif received_at < now - RECEIPT_BACKDATE_LIMIT:
        errors["received_at"] = [
            f"The receipt time is more than {RECEIPT_BACKDATE_LIMIT.days} days ago; check the date."
        ]
    if not reason.strip():
        errors["received_at_reason"] = ["Say why the receipt time is earlier than now."]
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
    claim_number: str = "",
    submit: bool = True,
    received_at: datetime | None = None,
    received_at_reason: str = "",
) -> CareRequest:
    """Create a request with its lines, diagnoses and checklist; by default also receive it.
    `received_at`: when it really arrived (a fax read later), if not now.

    The date rules of the kind of review apply on every channel: a prospective request for past
    dates is refused (keyed in at intake, it is converted to retrospective and the reason
    recorded), a retrospective one for future dates is refused, a concurrent one is linked to the
    member's stay by the stays app. `received_at` is when a fax or letter really arrived (earlier
    than now, with a reason, which is audited): the turnaround clock runs from receipt, not from
    when it was typed in. Raises ValidationFailed with field errors and writes nothing when the
    input is invalid.
    """
    today = timezone.localdate()
    converted = should_convert_to_retrospective(
        request_type=request_type, channel=channel, lines=lines, today=today
    )
    if converted:
        request_type = RequestType.RETROSPECTIVE
    priority = priority_for(request_type=request_type, priority=priority)
    errors = validate_request_input(
        coverage=coverage, lines=lines, diagnoses=diagnoses, request_type=request_type
    )
    errors.update(
        validate_receipt_time(
            channel=channel,
            received_at=received_at,
            reason=received_at_reason,
            now=timezone.now(),
        )
    )
    errors.update(claim_number_errors(request_type=request_type, claim_number=claim_number))
    if request_type == RequestType.CONCURRENT and stay_hooks() is None:
        errors.setdefault("request_type", []).append(
            "Concurrent review needs an inpatient stay, and stays are not set up here."
        )
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
        claim_number=(claim_number or "").strip(),
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
            # Every entry point (intake form, REST API, FHIR PAS, inbox) stores words for the
            # service: the ones given, else the catalogue's.
            description=line.description
            or catalog_description(line.code_system, line.code.strip().upper()),
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
    checklist_build(care_request=care_request, lines=service_lines, new=True)
    care_request_grant_to_organization(care_requests=[care_request])
    audit_event(
        actor=actor,
        action="care_request.created",
        case_id=care_request.pk,
        summary=f"Request {care_request.reference} entered via "
        f"{care_request.get_channel_display()}.",
    )
    if converted:
        _record_conversion(care_request=care_request, actor=actor)
    if submit:
        care_request = care_request_submit(
            care_request=care_request, actor=actor, received_at=received_at
        )
        if received_at is not None:
            audit_event(
                actor=actor,
                action="care_request.receipt_time_set",
                case_id=care_request.pk,
                summary=f"Receipt time set to {timezone.localtime(received_at):%Y-%m-%d %H:%M} "
                f"(entered {timezone.localtime():%Y-%m-%d %H:%M}): {received_at_reason.strip()}",
                data={
                    "received_at": received_at.isoformat(),
                    "entered_at": timezone.now().isoformat(),
                    "reason": received_at_reason.strip(),
                },
            )
    return care_request


def _record_conversion(*, care_request: CareRequest, actor) -> None:
    reason = (
        "Entered as prospective, but every service date is already past: received as a "
        "retrospective request (review of care already given)."
    )
    if actor is not None and actor.is_authenticated:
        CaseNote.objects.create(
            care_request=care_request,
            author=actor,
            body=reason,
            visibility=CaseNote.Visibility.INTERNAL,
        )
    audit_event(
        actor=actor,
        action="care_request.converted_to_retrospective",
        case_id=care_request.pk,
        summary=reason,
    )


@transaction.atomic
def care_request_submit(
    *, care_request: CareRequest, actor, system: bool = False, received_at: datetime | None = None
) -> CareRequest:
    """Receive a draft: start the clock (received_at, due_at), move it to `submitted`, and let the
    rules engine decide in the same transaction: close as not required, approve, or leave it for
    intake (the returned case has the resulting status). `received_at` defaults to now;
    care_request_create checks an earlier one."""
    # Read before the transition refreshes the caller's instance (which drops its cached
    # relations): care_request_create's callers pass the coverage with its plan loaded.
    coverage = care_request.coverage
    # A draft kept since an earlier day may have become past-dated: the rules apply at receipt
    # too. One created today was checked by care_request_create (and costs no query here).
    today = timezone.localdate()
    if care_request.created_at is not None and timezone.localdate(care_request.created_at) < today:
        date_errors = service_date_errors(
            request_type=care_request.request_type,
            lines=list(care_request.service_lines.all()),
            today=today,
        )
        if date_errors:
            raise ValidationFailed("The request has errors.", field_errors=date_errors)
    if care_request.request_type == RequestType.CONCURRENT:
        hooks = stay_hooks()
        if hooks is None:
            raise ValidationFailed("Concurrent review needs an inpatient stay.")
        # Before the clock starts: the clock depends on the days the stay already has.
        hooks.concurrent_received(care_request, actor)
    care_request = care_request_transition(
        care_request=care_request, name="submit", actor=actor, system=system
    )
    if coverage.pk != care_request.coverage_id:  # changed before the case was locked
        coverage = Coverage.objects.select_related("plan").get(pk=care_request.coverage_id)
    now = received_at or timezone.now()
    CareRequest.objects.filter(pk=care_request.pk).update(
        received_at=now,
        due_at=care_request_due_at(
            care_request=care_request,
            line_of_business=coverage.plan.line_of_business,
            received_at=now,
        ),
    )
    rules_apply_at_receipt(care_request=care_request)
    care_request.refresh_from_db()
    return care_request
