"""Routing (DESIGN §6): "get next case" and reassignment. Every assignment is an audit event, so
it shows in the case history."""

from django.db import connection, transaction
from django.utils import timezone

from intake.models import CareRequest
from um_portal.audit.services import audit_event
from um_portal.lib.errors import InvalidTransition, NotPermitted, ValidationFailed

from ..models import ReviewerProfile
from ..selectors.routing import (
    case_can_reassign,
    case_next_candidates,
    case_stage,
    case_stage_role,
    reviewer_open_case_count,
    reviewer_profile_get,
    reviewer_stage,
)

# Without SKIP LOCKED (SQLite) a claim can lose to another reviewer; try the next case then.
MAX_CLAIM_ATTEMPTS = 5


@transaction.atomic
def case_get_next(*, reviewer) -> CareRequest | None:
    """Assign the most urgent case the reviewer may take to them, or None if there is none or
    they are at capacity.

    Two reviewers pressing at the same moment never get the same case: on PostgreSQL the
    candidate row is locked with SKIP LOCKED (the other reviewer's query passes over it), and the
    assignment itself is a conditional UPDATE that only succeeds while nobody holds the case.
    """
    stage = reviewer_stage(reviewer)
    if stage is None:
        raise NotPermitted("Only nurses and medical directors take cases from the queues.")
    # Locking the profile serialises one reviewer's own concurrent clicks, so two of them cannot
    # both pass the capacity check.
    profile = (
        ReviewerProfile.objects.select_for_update().filter(user=reviewer, is_active=True).first()
    )
    if profile is None:
        return None
    if reviewer_open_case_count(user=reviewer, stage=stage) >= profile.capacity:
        return None
    candidates = case_next_candidates(profile=profile, stage=stage)
    if connection.features.has_select_for_update_skip_locked:
        candidates = candidates.select_for_update(skip_locked=True, of=("self",))
    for _ in range(MAX_CLAIM_ATTEMPTS):
        case = next(iter(candidates[:1]), None)
        if case is None:
            return None
        claimed = CareRequest.objects.filter(
            pk=case.pk, status=stage, assigned_to=case.assigned_to_id
        ).update(assigned_to=reviewer, assigned_at=timezone.now())
        if claimed == 1:
            # Re-read with its queue: the claim was an UPDATE, the candidate row is stale.
            case = CareRequest.objects.select_related("queue").get(pk=case.pk)
            audit_event(
                actor=reviewer,
                action="case.assigned",
                case_id=case.pk,
                summary=f"Assigned to {reviewer.display_name} (get next case).",
                data={"to": reviewer.username, "queue": case.queue.code, "how": "get_next"},
            )
            return case
    return None


def _reassign_warnings(*, case: CareRequest, profile: ReviewerProfile) -> list[str]:
    stage = case_stage(case)
    warnings = []
    open_cases = reviewer_open_case_count(user=profile.user, stage=stage)
    if open_cases >= profile.capacity:
        warnings.append(f"at capacity: {open_cases} of {profile.capacity} open")
    if case.queue_id is not None:
        lacking = case.queue.required_skills.exclude(pk__in=profile.skills.values("pk"))
        names = sorted(lacking.values_list("name", flat=True))
        if names:
            warnings.append(f"lacks {', '.join(names)}")
    return warnings


@transaction.atomic
def case_reassign(*, case: CareRequest, to_user, by) -> CareRequest:
    """Hand a case in clinical review to another reviewer. Only the lead of the case's queue or a
    UM manager may; the new reviewer must work the case's stage and be licensed in the member's
    state. Skills and capacity are the lead's judgement: a reviewer at capacity or without the
    queue's skills may be chosen, and the history says so."""
    locked = (
        CareRequest.objects.select_for_update(of=("self",))
        .select_related("queue", "member", "assigned_to")
        .get(pk=case.pk)
        if connection.features.has_select_for_update_of
        else CareRequest.objects.select_related("queue", "member", "assigned_to").get(pk=case.pk)
    )
    if not case_can_reassign(case=locked, user=by):
        raise NotPermitted("Only the queue's lead or a UM manager may reassign this case.")
    role = case_stage_role(locked)
    if role is None:
        raise InvalidTransition(
            "Only a case in nurse or medical director review can be reassigned."
        )
    if to_user is None or not to_user.is_active or not to_user.has_role(role):
        raise ValidationFailed(
            "Choose a reviewer who works this stage.",
            field_errors={"to": ["Choose a reviewer who works this stage."]},
        )
    profile = reviewer_profile_get(user=to_user)
    state = locked.member.state
    if profile is None or (state and state not in profile.licensed_states):
        message = (
            f"{to_user.display_name} is not licensed to review cases for {state or 'this'} members."
        )
        raise ValidationFailed(message, field_errors={"to": [message]})
    if locked.assigned_to_id == to_user.pk:
        message = f"The case is already assigned to {to_user.display_name}."
        raise ValidationFailed(message, field_errors={"to": [message]})
    previous = locked.assigned_to
    # Load and skills are the lead's judgement, not a refusal; the history records what they
    # knowingly overrode.
    warnings = _reassign_warnings(case=locked, profile=profile)
    CareRequest.objects.filter(pk=locked.pk).update(assigned_to=to_user, assigned_at=timezone.now())
    data = {"from": previous.username if previous else None, "to": to_user.username}
    if warnings:
        data["warnings"] = warnings
    audit_event(
        actor=by,
        action="case.reassigned",
        case_id=locked.pk,
        summary=f"Reassigned from {previous.display_name if previous else 'the queue'} to "
        f"{to_user.display_name}" + (f" ({'; '.join(warnings)})." if warnings else "."),
        data=data,
    )
    return CareRequest.objects.get(pk=locked.pk)
