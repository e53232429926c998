"""Changing the service lines of a request that is still waiting for its decision: the submitter
adds a service, changes one (a longer period, more units) or cancels one. A decided request is
never changed here: the provider files a new request or an appeal.

The decision clock does not restart. CMS-0057-F counts from receipt of the request, and a change
to a request the plan already holds is not a new request: restarting would let every small
change push back the decision on services that have been waiting all along. The reviewer sees
each change in the audit trail (and the caller adds a case note saying why).
"""

from datetime import date

from django.db import transaction
from django.db.models import Max

from intake.apis.coding import catalog_description
from um_portal.accounts.permissions import user_has_role
from um_portal.accounts.roles import Role
from um_portal.audit.services import audit_event
from um_portal.lib.errors import InvalidTransition, NotPermitted, ValidationFailed

from ..models import CareRequest, Coverage, ServiceLine
from ..models.care_request import is_case_provider
from ..rules.checklist import checklist_build
from .receipt import ServiceLineInput, validate_request_input


def _locked_open_case(care_request: CareRequest, actor) -> CareRequest:
    locked = (
        CareRequest.objects.select_for_update().select_related("coverage").get(pk=care_request.pk)
    )
    if not (is_case_provider(locked, actor) or user_has_role(actor, Role.INTAKE)):
        raise NotPermitted("Your role may not change the services of this request.")
    if not locked.is_open:
        raise InvalidTransition(
            f"Request {locked.reference} is {locked.get_status_display().lower()}: its services "
            "can no longer be changed. File a new request, or an appeal of the decision."
        )
    return locked


def _undecided(line: ServiceLine) -> None:
    if line.decision != ServiceLine.Decision.PENDING:
        raise InvalidTransition(
            f"Service {line.sequence} ({line.code}) is already decided and cannot be changed."
        )


def _line_text(line) -> str:
    return f"{line.code} × {line.units}, {line.start_date} to {line.end_date}"


@transaction.atomic
def service_line_add(
    *, care_request: CareRequest, actor, line: ServiceLineInput, note: str = ""
) -> ServiceLine:
    """Add a service to an undecided request (with the checklist items it calls for)."""
    case = _locked_open_case(care_request, actor)
    errors = validate_request_input(
        coverage=case.coverage, lines=[line], diagnoses=[], request_type=case.request_type
    )
    errors.pop("diagnoses", None)  # the request's diagnoses are already on it
    if errors:
        raise ValidationFailed("The added service has errors.", field_errors=errors)
    last = case.service_lines.aggregate(last=Max("sequence"))["last"] or 0
    code = line.code.strip().upper()
    added = ServiceLine.objects.create(
        care_request=case,
        sequence=last + 1,
        code_system=line.code_system,
        code=code,
        category=line.category,
        units=line.units,
        start_date=line.start_date,
        end_date=line.end_date,
        place_of_service=line.place_of_service,
        modifiers=line.modifiers,
        description=line.description or catalog_description(line.code_system, code),
    )
    checklist_build(care_request=case)
    audit_event(
        actor=actor,
        action="service_line.added",
        case_id=case.pk,
        summary=f"Service {added.sequence} added: {_line_text(added)}. {note}".strip(),
        data={"line": str(added.pk)},
    )
    return added


@transaction.atomic
def service_line_modify(
    *,
    care_request: CareRequest,
    actor,
    line: ServiceLine,
    units: int,
    start_date: date,
    end_date: date,
    note: str = "",
) -> ServiceLine:
    """Change the units or dates of an undecided service of an undecided request."""
    case = _locked_open_case(care_request, actor)
    line = ServiceLine.objects.select_for_update().get(pk=line.pk, care_request=case)
    _undecided(line)
    errors: dict[str, list[str]] = {}
    if units < 1:
        errors["units"] = ["Units must be at least 1."]
    if end_date < start_date:
        errors["end_date"] = ["The end date is before the start date."]
    elif not case.coverage.in_force_on(start_date, end_date) and (
        case.coverage.status != Coverage.Status.UNVERIFIED
    ):
        errors["start_date"] = [
            f"Coverage {case.coverage.member_number} is not in force from {start_date} to "
            f"{end_date}."
        ]
    if errors:
        raise ValidationFailed("The changed service has errors.", field_errors=errors)
    before = _line_text(line)
    line.units, line.start_date, line.end_date = units, start_date, end_date
    line.save(update_fields=["units", "start_date", "end_date"])
    audit_event(
        actor=actor,
        action="service_line.modified",
        case_id=case.pk,
        summary=f"Service {line.sequence} changed from {before} to {_line_text(line)}. "
        f"{note}".strip(),
        data={"line": str(line.pk)},
    )
    return line


@transaction.atomic
def service_line_cancel(
    *, care_request: CareRequest, actor, line: ServiceLine, note: str = ""
) -> None:
    """Cancel one undecided service of an undecided request. The line is removed (with the
    nurse's criteria answers for it); the audit event keeps what it asked for. The last
    service cannot be cancelled this way: that is withdrawing the request."""
    case = _locked_open_case(care_request, actor)
    line = ServiceLine.objects.select_for_update().get(pk=line.pk, care_request=case)
    _undecided(line)
    if not case.service_lines.exclude(pk=line.pk).exists():
        raise InvalidTransition(
            "This is the request's only service: withdraw the request instead of cancelling it."
        )
    text = _line_text(line)
    sequence = line.sequence
    line.delete()
    audit_event(
        actor=actor,
        action="service_line.cancelled",
        case_id=case.pk,
        summary=f"Service {sequence} cancelled ({text}). {note}".strip(),
        data={"sequence": sequence},
    )
