"""Administrative denials: not a covered benefit, not eligible on the service date, out of
network without an exception, benefit limit reached, duplicate of an authorization. No clinical
judgement is made, so intake or a nurse may decide them where the plan allows it
(AdministrativeAuthority); a medical-necessity reason is never accepted here (42 CFR
422.566(d): that denial is a physician's, on the decision page). One transaction writes the
determination, its lines, the status transition, the audit event and the letter rows."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_fsm import has_transition_perm

from intake.models import CareRequest, CareRequestStatus, ServiceLine
from intake.services.eligibility import eligibility_check_record
from intake.services.transitions import care_request_transition
from um_portal.accounts.roles import Role
from um_portal.audit.services import audit_event
from um_portal.lib.errors import InvalidTransition, NotPermitted, ValidationFailed

from ..models import AdministrativeLineDenial, DenialReason, Determination, LineDecision
from ..selectors import _administrative_role, administrative_reasons_for
from .decide import _apply_to_service_line, _check_lines, _line_decision, held_line_decisions
from .outbox import letters_create
from .validation import LineDecisionInput

PROVISION_MAX = LineDecision._meta.get_field("plan_provision").max_length
SOURCE_BY_ROLE = {
    Role.DIRECTOR: Determination.Source.PHYSICIAN,
    Role.INTAKE: Determination.Source.INTAKE,
    Role.NURSE: Determination.Source.NURSE,
}


@dataclass(frozen=True)
class AdministrativeLine:
    """One service line's administrative denial: the reason and the plan provision it rests
    on (free text: "Evidence of Coverage 2026, chapter 4, section 2.1")."""

    service_line: ServiceLine
    reason_code: str
    provision: str


@transaction.atomic
def determination_issue_administrative(
    *, case: CareRequest, actor, lines: list[AdministrativeLine], rationale: str, note: str = ""
) -> Determination | None:
    """Deny some or all of an open case's undecided lines for administrative reasons, each
    line with its own reason and plan provision.

    When no line is left to decide, this issues the determination of record (denied, or
    partially approved beside lines a nurse approved) with its letters and returns it. When
    other lines are still to decide, the denied lines are held (AdministrativeLineDenial, the
    line marked denied) and the case goes on in review: the determination that finishes it
    carries them, so the member and provider get one notice naming every service and its own
    reason. Returns None then.

    Raises NotPermitted (nothing written) when the actor may not deny this case
    administratively at all or not for a reason given; ValidationFailed with field errors keyed
    `lines[<sequence>].<field>` (or `lines`, `rationale`); InvalidTransition when the case is
    not in intake, nurse or director review or was decided before.
    """
    locked = CareRequest.objects.select_for_update().get(pk=case.pk)
    if not has_transition_perm(locked.deny_administratively, actor):
        if locked.status not in (
            CareRequestStatus.SUBMITTED,
            CareRequestStatus.NURSE_REVIEW,
            CareRequestStatus.MD_REVIEW,
        ):
            raise InvalidTransition(
                f"The case is {locked.get_status_display().lower()}: it cannot be denied now."
            )
        raise NotPermitted("Your role may not make an administrative decision on this case.")
    if Determination.objects.filter(care_request=locked).exists():
        raise InvalidTransition("This case was decided before.")
    allowed = {r.code for r in administrative_reasons_for(locked, actor)}
    all_lines = {line.pk: line for line in locked.service_lines.all()}
    if not all_lines:
        raise ValidationFailed("The request has no service line to decide.")
    if not lines:
        raise ValidationFailed(
            "Choose at least one service line to deny.",
            field_errors={"lines": ["Choose at least one service line to deny."]},
        )
    open_lines = {
        pk: line for pk, line in all_lines.items() if line.decision == ServiceLine.Decision.PENDING
    }
    _check_administrative(lines, open_lines, allowed)
    items = [
        LineDecisionInput(
            service_line=item.service_line,
            outcome=LineDecision.Outcome.DENIED,
            reason_code=item.reason_code,
            rationale=rationale,
        )
        for item in lines
    ]
    given = {item.service_line.pk for item in lines}
    # Every line given at most once, with a plain-language rationale (no codes); the lines
    # not given stay in review.
    _check_lines(items, {pk: line for pk, line in open_lines.items() if pk in given})
    source = SOURCE_BY_ROLE[_administrative_role(locked, actor)]
    now = timezone.now()
    if given != set(open_lines):
        return _hold(locked, actor, lines, rationale.strip(), source, now, note, case)

    held = list(locked.administrative_line_denials.select_related("service_line"))
    approved = [
        line for line in all_lines.values() if line.decision == ServiceLine.Decision.APPROVED
    ]
    codes = {item.reason_code for item in lines} | {h.reason_code for h in held}
    determination = Determination.objects.create(
        care_request=locked,
        kind=Determination.Kind.INITIAL,
        outcome=Determination.Outcome.PARTIALLY_APPROVED
        if approved
        else Determination.Outcome.DENIED,
        source=source,
        administrative=True,
        decided_by=actor,
        reviewer_name=actor.get_full_name() or actor.username,
        reviewer_credentials=getattr(actor, "credentials", ""),
        decided_at=now,
        reason_code=codes.pop() if len(codes) == 1 else "",
        rationale=rationale.strip(),
        auth_number=locked.auth_number if approved else "",
    )
    labels = dict(DenialReason.objects.values_list("code", "label"))
    provisions = {item.service_line.pk: item.provision.strip() for item in lines}
    rows = []
    for item in items:
        row = _line_decision(determination, item, labels)
        row.plan_provision = provisions[item.service_line.pk]
        rows.append(row)
    rows += held_line_decisions(determination, held, labels)
    rows += [
        LineDecision(
            determination=determination,
            service_line=line,
            outcome=LineDecision.Outcome.APPROVED,
            approved_units=line.approved_units,
            approved_start=line.approved_start,
            approved_end=line.approved_end,
        )
        for line in approved
    ]
    LineDecision.objects.bulk_create(rows)
    for item in items:
        _apply_to_service_line(item)
    care_request_transition(
        care_request=locked,
        name="deny_administratively",
        actor=actor,
        note=note,
        some_approved=bool(approved),
    )
    CareRequest.objects.filter(pk=locked.pk).update(decided_at=now)
    audit_event(
        actor=actor,
        action="determination.administrative",
        case_id=locked.pk,
        summary=f"Administrative denial ({determination.get_source_display()}).",
        data={
            "determination": str(determination.pk),
            "reasons": {str(i.service_line.pk): i.reason_code for i in lines},
        },
    )
    letters_create(determination)
    case.refresh_from_db()
    return determination


def _hold(locked, actor, lines, rationale, source, now, note, case) -> None:
    """Deny these lines now; the determination that finishes the case carries them."""
    AdministrativeLineDenial.objects.bulk_create(
        AdministrativeLineDenial(
            care_request=locked,
            service_line=item.service_line,
            reason_code=item.reason_code,
            rationale=rationale,
            plan_provision=item.provision.strip(),
            source=source,
            decided_by=actor,
            decided_at=now,
        )
        for item in lines
    )
    ServiceLine.objects.filter(pk__in=[item.service_line.pk for item in lines]).update(
        decision=ServiceLine.Decision.DENIED
    )
    sequences = ", ".join(str(item.service_line.sequence) for item in lines)
    audit_event(
        actor=actor,
        action="determination.administrative_lines",
        case_id=locked.pk,
        summary=f"Lines {sequences} denied administratively; the others stay in review."
        + (f" {note}" if note else ""),
        data={"reasons": {str(i.service_line.pk): i.reason_code for i in lines}},
    )
    if (
        locked.status == CareRequestStatus.SUBMITTED
        and locked.eligibility_status == CareRequest.Eligibility.FAILED
    ):
        # A line the plan does not cover failed the check and blocked triage; once that line is
        # denied, check again the lines still to review.
        eligibility_check_record(care_request=locked, actor=actor)
    case.refresh_from_db()
    return None


def _check_administrative(lines: list[AdministrativeLine], by_line: dict, allowed: set) -> None:
    """Each reason administrative and allowed to the actor; each line with its provision."""
    administrative = dict(
        DenialReason.objects.filter(is_active=True, administrative=True).values_list(
            "code", "label"
        )
    )
    errors: dict[str, list[str]] = {}
    refused = []
    for item in lines:
        line = by_line.get(item.service_line.pk)
        if line is None:
            raise ValidationFailed(
                "Each service line still to decide may be denied once; a decided line cannot."
            )
        key = f"lines[{line.sequence}]"
        if item.reason_code not in administrative:
            errors[f"{key}.reason_code"] = [
                "Choose a benefit, eligibility or network reason. A medical-necessity denial "
                "is a medical director's decision."
            ]
        elif item.reason_code not in allowed:
            refused.append(administrative[item.reason_code].lower())
        provision = item.provision.strip()
        if not provision:
            errors[f"{key}.provision"] = ["Name the plan provision the decision rests on."]
        elif len(provision) > PROVISION_MAX:
            errors[f"{key}.provision"] = [f"Keep it under {PROVISION_MAX} characters."]
    if refused:
        raise NotPermitted(
            "Your plan lets only a medical director deny for this reason: "
            + ", ".join(sorted(set(refused)))
            + "."
        )
    if errors:
        raise ValidationFailed("The decision has errors.", field_errors=errors)
