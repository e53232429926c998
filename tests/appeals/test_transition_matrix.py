"""Every appeal state × transition × role, written out by hand from issue 12 (not derived from
the model's permission functions, so a change to either shows up here)."""

import pytest
from django.db import transaction

from appeals.models import Appeal, AppealEvent, AppealStatus
from appeals.services.transitions import appeal_transition, available_actions
from um_portal.lib.errors import InvalidTransition, NotPermitted

A = AppealStatus
OPEN = {A.RECEIVED, A.IN_REVIEW}
ROLES = [
    "intake",
    "nurse",
    "director",  # made the decision under appeal
    "appeal_director",  # independent, same specialty
    "cardiologist",  # independent, another specialty
    "manager",
    "provider",
    "outsider",
    "system",
]
DESIGN = {
    "start_review": (
        {A.RECEIVED},
        {"nurse", "director", "appeal_director", "cardiologist", "manager"},
    ),
    # 42 CFR 422.590(h)(2): an independent physician of the service's field decides.
    "uphold": ({A.IN_REVIEW}, {"appeal_director"}),
    "partially_overturn": ({A.IN_REVIEW}, {"appeal_director"}),
    "overturn": ({A.IN_REVIEW}, {"appeal_director"}),
    "forward_to_ire": ({A.DECIDED_UPHELD, A.DECIDED_PARTIALLY_OVERTURNED}, set()),
    "record_ire_upheld": ({A.FORWARDED_TO_IRE}, {"intake", "manager"}),
    "record_ire_overturned": ({A.FORWARDED_TO_IRE}, {"intake", "manager"}),
    "dismiss": (OPEN, {"intake", "manager", "director", "appeal_director", "cardiologist"}),
    "withdraw": (OPEN, {"provider", "intake"}),
}
TARGET = {
    "start_review": A.IN_REVIEW,
    "uphold": A.DECIDED_UPHELD,
    "partially_overturn": A.DECIDED_PARTIALLY_OVERTURNED,
    "overturn": A.DECIDED_OVERTURNED,
    "forward_to_ire": A.FORWARDED_TO_IRE,
    "record_ire_upheld": A.IRE_UPHELD,
    "record_ire_overturned": A.IRE_OVERTURNED,
    "dismiss": A.DISMISSED,
    "withdraw": A.WITHDRAWN,
}


class _Rollback(Exception):
    pass


def _try(appeal_pk, name: str, user, system: bool):
    appeal = Appeal.objects.get(pk=appeal_pk)
    try:
        with transaction.atomic():
            result = appeal_transition(appeal=appeal, name=name, actor=user, system=system)
            outcome = (True, result.status)
            raise _Rollback
    except _Rollback:
        return outcome
    except (NotPermitted, InvalidTransition):
        return (False, None)


def test_matrix_covers_every_transition_of_the_model():
    field = Appeal._meta.get_field("status")
    assert {t.name for t in field.get_all_transitions(Appeal)} == set(DESIGN)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", list(A))
def test_appeal_transition_matrix(
    state, role, personas, appeal_director, cardiologist, denied_case, file_appeal
):
    appeal = file_appeal(denied_case)
    Appeal.objects.filter(pk=appeal.pk).update(status=state)
    people = {**personas, "appeal_director": appeal_director, "cardiologist": cardiologist}
    user = None if role == "system" else people[role]
    events = AppealEvent.objects.filter(appeal=appeal).count()

    actual, targets = {}, {}
    for name in DESIGN:
        allowed, target = _try(appeal.pk, name, user, system=role == "system")
        actual[name] = allowed
        if allowed:
            targets[name] = target
        assert Appeal.objects.get(pk=appeal.pk).status == state
        assert AppealEvent.objects.filter(appeal=appeal).count() == events

    def expected_allowed(name):
        sources, who = DESIGN[name]
        return state in sources and (role == "system" or role in who)

    expected = {name: expected_allowed(name) for name in DESIGN}
    assert actual == expected
    assert targets == {name: TARGET[name] for name, ok in expected.items() if ok}
    if user is not None:
        offered = set(available_actions(Appeal.objects.get(pk=appeal.pk), user))
        assert offered == {name for name, ok in expected.items() if ok}


@pytest.mark.django_db
def test_appeal_events_are_immutable(denied_case, file_appeal):
    event = file_appeal(denied_case).events.get()
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
