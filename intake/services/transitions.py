"""The one way a care request changes status: lock, check, transition, save, record."""

from django.utils import timezone
from django_fsm import ConcurrentTransition

from um_portal.lib.errors import InvalidTransition, NotPermitted
from um_portal.lib.fsm import copy_saved_state, transition_meta
from um_portal.lib.fsm import unmet_conditions as fsm_unmet_conditions
from um_portal.lib.transactions import in_callers_transaction

from ..models import CareRequest, StatusEvent

# Plain-language reasons for unmet transition conditions, keyed by the predicate's name.
CONDITION_MESSAGES = {
    "eligibility_verified": "Verify the member's eligibility and benefits first.",
    "checklist_complete": "Required documents are missing from the checklist.",
    "has_service_lines": "Add at least one service line.",
    "has_administrative_line_denials": "No line was denied administratively: approve the case.",
}


def unmet_conditions(care_request: CareRequest, name: str) -> list[str]:
    return fsm_unmet_conditions(care_request, name, CONDITION_MESSAGES)


# The caller's transaction when there is one: every refusal below comes before any write.
@in_callers_transaction
def care_request_transition(
    *,
    care_request: CareRequest,
    name: str,
    actor,
    note: str = "",
    system: bool = False,
    **transition_kwargs,
) -> CareRequest:
    """Run transition `name` on a freshly locked copy of the case and record the event.

    `system=True` is for the rules engine and scheduled tasks: no person's permission is checked,
    and the event has no actor. Raises NotPermitted or InvalidTransition; nothing is written then.
    """
    locked = CareRequest.objects.select_for_update().get(pk=care_request.pk)
    meta = transition_meta(locked, name)
    method = getattr(locked, name)
    if not meta.has_transition(locked.status):
        raise InvalidTransition(_not_from_here(locked, name))
    # Ask about the role alone: django-fsm's has_transition_perm() also checks the conditions,
    # which would report "verify eligibility first" to intake as "your role may not".
    if not system and not meta.has_transition_perm(locked, locked.status, actor):
        raise NotPermitted("Your role may not take this action on this case.")
    unmet = unmet_conditions(locked, name)
    if unmet:
        raise InvalidTransition(" ".join(unmet))
    from_status = locked.status
    method(**transition_kwargs)
    try:
        locked.save()
    except ConcurrentTransition as exc:  # another reviewer changed the case first
        raise InvalidTransition("The case changed while you were working; reload it.") from exc
    StatusEvent.objects.create(
        care_request=locked,
        transition=name,
        from_status=from_status,
        to_status=locked.status,
        actor=None if system else actor,
        at=timezone.now(),
        note=note,
    )
    # Keep the caller's instance current so it can go on using it (the locked copy has every
    # field as saved: no need to read the row again).
    if care_request is not locked:
        copy_saved_state(source=locked, target=care_request)
    return locked


def _not_from_here(care_request: CareRequest, name: str) -> str:
    return (
        f"This action ({name.replace('_', ' ')}) is not possible while the case is "
        f"{care_request.get_status_display().lower()}."
    )


def available_actions(care_request: CareRequest, user) -> list[str]:
    """The transition names the user may take now: what the UI offers and the server accepts."""
    return [t.name for t in care_request.get_available_user_status_transitions(user)]
