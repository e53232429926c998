"""The one way an appeal changes status: lock, check, transition, save, record (as ADR 0002)."""

from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition

from um_portal.lib.errors import InvalidTransition, NotPermitted
from um_portal.lib.fsm import transition_meta
from um_portal.lib.fsm import unmet_conditions as fsm_unmet_conditions

from ..models import Appeal, AppealEvent
from ..permissions import decider_refusal

CONDITION_MESSAGES = {
    "assignee_independent": "The assigned physician may no longer decide this appeal; reassign it.",
    "is_medicare_advantage": "Only Medicare Advantage appeals go to the independent review entity.",
}
DECIDING = {"uphold", "partially_overturn", "overturn"}


def unmet_conditions(appeal: Appeal, name: str) -> list[str]:
    return fsm_unmet_conditions(appeal, name, CONDITION_MESSAGES)


@transaction.atomic
def appeal_transition(
    *, appeal: Appeal, name: str, actor, note: str = "", system: bool = False, **kwargs
) -> Appeal:
    """Run transition `name` on a freshly locked copy and write the AppealEvent. Raises
    NotPermitted (with the independence reason for a decision) or InvalidTransition; nothing is
    written then."""
    locked = Appeal.objects.select_for_update().select_related("care_request").get(pk=appeal.pk)
    meta = transition_meta(locked, name)
    method = getattr(locked, name)
    if not meta.has_transition(locked.status):
        raise InvalidTransition(
            f"This action ({name.replace('_', ' ')}) is not possible while the appeal is "
            f"{locked.get_status_display().lower()}."
        )
    if not system and not meta.has_transition_perm(locked, locked.status, actor):
        refusal = decider_refusal(locked, actor) if name in DECIDING else None
        raise NotPermitted(refusal or "Your role may not take this action on this appeal.")
    unmet = unmet_conditions(locked, name)
    if unmet:
        raise InvalidTransition(" ".join(unmet))
    from_status = locked.status
    method(**kwargs)
    try:
        locked.save()
    except ConcurrentTransition as exc:
        raise InvalidTransition("The appeal changed while you were working; reload it.") from exc
    AppealEvent.objects.create(
        appeal=locked,
        transition=name,
        from_status=from_status,
        to_status=locked.status,
        actor=None if system else actor,
        at=timezone.now(),
        note=note,
    )
    appeal.refresh_from_db()
    return locked


def available_actions(appeal: Appeal, user) -> list[str]:
    """What the UI offers and the server accepts."""
    return [t.name for t in appeal.get_available_user_status_transitions(user)]
