"""Verifying a coverage that arrived with an outside submission (ADR 0003).

A PAS Bundle for a member we did not know creates the member with an `unverified` coverage whose
plan is a guess; the rules engine holds such a case for intake. Intake confirms the member, the
plan and the dates (with enrolment, by phone or in the plan's system) and records it here; the
eligibility check then runs on the real coverage.
"""

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from um_portal.audit.services import audit_event
from um_portal.lib.errors import InvalidTransition, ValidationFailed
from um_portal.lib.template_formats import when

from ..models import CareRequest, CaseNote, Coverage, EligibilityCheck, Plan
from .eligibility import eligibility_check_record
from .receipt import care_request_due_at


@dataclass(frozen=True)
class CoverageFacts:
    plan: Plan
    effective_from: date
    effective_to: date | None
    birth_date: date
    how_verified: str


def _errors(facts: CoverageFacts) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if facts.effective_to is not None and facts.effective_to < facts.effective_from:
        errors["effective_to"] = ["The coverage cannot end before it starts."]
    if facts.birth_date > timezone.localdate():
        errors["birth_date"] = ["The birth date cannot be in the future."]
    if len(facts.how_verified.strip()) < 10:
        errors["how_verified"] = ["Say how you verified it (who, which system), for the record."]
    return errors


@transaction.atomic
def coverage_verify(*, care_request: CareRequest, actor, facts: CoverageFacts) -> EligibilityCheck:
    """Make the case's unverified coverage the member's real one and check eligibility on it.

    Sets the plan, dates and birth date, marks the coverage active, recomputes the decision due
    date when the plan's line of business (and so the regulatory clock) differs from the guess —
    always from the original receipt time — records how it was verified as an internal note and
    in the audit trail, and runs the eligibility check. Raises ValidationFailed (nothing written)
    for impossible input or when the member ID already has that coverage on file.
    """
    case = (
        CareRequest.objects.select_for_update()
        .select_related("coverage__plan")
        .get(pk=care_request.pk)
    )
    if not case.is_open:
        raise InvalidTransition("The request is closed; its coverage can no longer be verified.")
    coverage = (
        Coverage.objects.select_for_update()
        .select_related("member", "plan")
        .get(pk=case.coverage_id)
    )
    if coverage.status != Coverage.Status.UNVERIFIED:
        raise InvalidTransition("This coverage is already verified.")
    errors = _errors(facts)
    if errors:
        raise ValidationFailed("The coverage details have errors.", field_errors=errors)

    guessed_plan = coverage.plan
    coverage.plan = facts.plan
    coverage.effective_from = facts.effective_from
    coverage.effective_to = facts.effective_to
    coverage.status = Coverage.Status.ACTIVE
    try:
        with transaction.atomic():
            coverage.save(update_fields=["plan", "effective_from", "effective_to", "status"])
    except IntegrityError as exc:
        raise ValidationFailed(
            "This member ID already has a coverage with this plan from that date.",
            field_errors={
                "effective_from": [
                    "Already on file for this member ID and plan: the member is known under "
                    "that coverage."
                ]
            },
        ) from exc
    member = coverage.member
    member.birth_date = facts.birth_date
    member.save(update_fields=["birth_date"])

    changes = [f"plan {facts.plan.name}", f"from {facts.effective_from}"]
    if facts.plan.line_of_business != guessed_plan.line_of_business and case.received_at:
        case.due_at = care_request_due_at(
            care_request=case,
            line_of_business=facts.plan.line_of_business,
            received_at=case.received_at,
        )
        CareRequest.objects.filter(pk=case.pk).update(due_at=case.due_at)
        changes.append(f"decision due {when(case.due_at)}")
    CaseNote.objects.create(
        care_request=case,
        author=actor,
        body=f"Coverage verified ({'; '.join(changes)}): {facts.how_verified.strip()}",
        visibility=CaseNote.Visibility.INTERNAL,
    )
    audit_event(
        actor=actor,
        action="coverage.verified",
        case_id=case.pk,
        summary=f"Coverage {coverage.member_number} verified: {'; '.join(changes)}.",
        data={"coverage": str(coverage.pk), "guessed_plan": str(guessed_plan.pk)},
    )
    return eligibility_check_record(care_request=case, actor=actor)
