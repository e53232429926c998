"""Eligibility and benefits verification, recorded on the case with who checked and when."""

from um_portal.audit.services import audit_event
from um_portal.lib.transactions import in_callers_transaction

from ..models import CareRequest, EligibilityCheck, ServiceLine
from ..rules import reference


# Nothing here refuses: the caller's transaction is enough (no savepoint).
@in_callers_transaction
def eligibility_check_record(
    *, care_request: CareRequest, actor, loaded: bool = False
) -> EligibilityCheck:
    """Check that the coverage is in force on every service date and the plan covers each
    service category of the lines still to decide; record the result and set the case's
    eligibility status.

    `loaded`: the caller read `care_request` with its coverage and plan in this transaction
    (the rules engine does), so they are not read again."""
    if not loaded:
        care_request = CareRequest.objects.select_related("coverage__plan").get(pk=care_request.pk)
    coverage = care_request.coverage
    # A line already denied administratively (e.g. not a covered benefit) is decided: the
    # check is about the lines still to review, so it no longer blocks triage of the others.
    lines = list(
        care_request.service_lines.exclude(decision=ServiceLine.Decision.DENIED).select_related(
            "category"
        )
    )
    covered_ids = reference.snapshot().plan_categories.get(coverage.plan_id, frozenset())
    uncovered = sorted(
        {line.category.name for line in lines if line.category_id not in covered_ids}
    )
    active = bool(lines) and coverage.in_force_on(
        min(line.start_date for line in lines), max(line.end_date for line in lines)
    )
    details = []
    if not active:
        details.append(
            f"Coverage {coverage.member_number} ({coverage.get_status_display()}, "
            f"{coverage.effective_from} to {coverage.effective_to or 'open'}) is not "
            f"in force for the service dates."
        )
    if uncovered:
        details.append(f"{coverage.plan.name} does not cover: {', '.join(uncovered)}.")
    eligible = active and not uncovered and bool(lines)
    if eligible:
        details.append(f"Coverage active and {coverage.plan.name} covers every requested service.")
    check = EligibilityCheck.objects.create(
        care_request=care_request,
        checked_by=actor,
        coverage_active=active,
        services_covered=not uncovered,
        eligible=eligible,
        detail=" ".join(details),
    )
    CareRequest.objects.filter(pk=care_request.pk).update(
        eligibility_status=CareRequest.Eligibility.VERIFIED
        if eligible
        else CareRequest.Eligibility.FAILED
    )
    audit_event(
        actor=actor,
        action="eligibility.checked",
        case_id=care_request.pk,
        summary="Eligibility verified." if eligible else "Member not eligible.",
    )
    return check
