"""Every state × every transition × every role, against DESIGN §2.

The expected table below is written out by hand from the design, not derived from the model's
permission functions, so a change to either shows up here.
"""

import pytest
from django.db import transaction

from intake.models import CareRequest, CareRequestStatus, StatusEvent
from intake.services.transitions import available_actions, care_request_transition
from tests.factories import make_case
from tests.intake.conftest import force_status
from um_portal.lib.errors import InvalidTransition, NotPermitted

S = CareRequestStatus
OPEN = {S.DRAFT, S.SUBMITTED, S.PENDING_INFO, S.NURSE_REVIEW, S.MD_REVIEW}
DECIDED = {S.APPROVED, S.PARTIALLY_APPROVED, S.DENIED}
ROLES = ["intake", "nurse", "director", "manager", "provider", "outsider", "system"]

# transition: (states it starts from, who may take it: a set of roles or a function of the state)
DESIGN = {
    "submit": ({S.DRAFT}, {"intake", "provider"}),
    "triage": ({S.SUBMITTED}, {"intake"}),
    "auto_approve": ({S.SUBMITTED}, set()),  # the rules engine only
    "close_not_required": ({S.DRAFT, S.SUBMITTED}, {"intake"}),
    # Whoever owns the stage pends it.
    "request_info": (
        {S.SUBMITTED, S.NURSE_REVIEW, S.MD_REVIEW},
        lambda state: {
            S.SUBMITTED: {"intake"},
            S.NURSE_REVIEW: {"nurse"},
            S.MD_REVIEW: {"director"},
        }[state],
    ),
    "info_received": ({S.PENDING_INFO}, {"provider", "intake", "nurse", "director"}),
    "refer_to_md": ({S.NURSE_REVIEW}, {"nurse"}),
    "refer_back_to_nurse": ({S.MD_REVIEW}, {"director"}),
    # A nurse may approve at nurse review; at director review only the physician decides.
    "approve": (
        {S.NURSE_REVIEW, S.MD_REVIEW},
        lambda state: {"nurse", "director"} if state == S.NURSE_REVIEW else {"director"},
    ),
    # The lines left after administrative denials: whoever may approve (nothing clinical is
    # denied by it).
    "approve_remaining": (
        {S.NURSE_REVIEW, S.MD_REVIEW},
        lambda state: {"nurse", "director"} if state == S.NURSE_REVIEW else {"director"},
    ),
    # Adverse determinations: a physician only (42 CFR 422.566(d)).
    "partially_approve": ({S.MD_REVIEW}, {"director"}),
    "deny": ({S.MD_REVIEW}, {"director"}),
    # Benefit, eligibility or network (not medical necessity): the stage's owner where the plan
    # allows the reason (default data: intake and nurses for benefit reasons), a director always.
    "deny_administratively": (
        {S.SUBMITTED, S.NURSE_REVIEW, S.MD_REVIEW},
        lambda state: {
            S.SUBMITTED: {"intake", "director"},
            S.NURSE_REVIEW: {"nurse", "director"},
            S.MD_REVIEW: {"director"},
        }[state],
    ),
    "withdraw": (OPEN, {"provider", "intake"}),
    "void": (OPEN, {"intake", "manager"}),
    "reopen": (DECIDED, {"director"}),
}
TARGET = {
    "submit": S.SUBMITTED,
    "triage": S.NURSE_REVIEW,
    "auto_approve": S.APPROVED,
    "close_not_required": S.CLOSED_NO_AUTH_REQUIRED,
    "request_info": S.PENDING_INFO,
    "info_received": S.NURSE_REVIEW,  # the matrix pends its cases from nurse review
    "refer_to_md": S.MD_REVIEW,
    "refer_back_to_nurse": S.NURSE_REVIEW,
    "approve": S.APPROVED,
    "approve_remaining": S.PARTIALLY_APPROVED,
    "partially_approve": S.PARTIALLY_APPROVED,
    "deny": S.DENIED,
    "deny_administratively": S.DENIED,
    "withdraw": S.WITHDRAWN,
    "void": S.VOIDED,
    "reopen": S.MD_REVIEW,
}


def expected_allowed(transition: str, state: str, role: str) -> bool:
    sources, who = DESIGN[transition]
    if state not in sources:
        return False
    if role == "system":  # the rules engine and scheduled tasks: no person's permission
        return True
    roles = who(state) if callable(who) else who
    return role in roles


class _Rollback(Exception):
    pass


def _try(case_pk, name: str, user, system: bool) -> tuple[bool, str | None]:
    """Run the transition through the service inside a savepoint that is always rolled back."""
    case = CareRequest.objects.get(pk=case_pk)
    try:
        with transaction.atomic():
            result = care_request_transition(
                care_request=case, name=name, actor=user, system=system
            )
            outcome = (True, result.status)
            raise _Rollback
    except _Rollback:
        return outcome
    except (NotPermitted, InvalidTransition):
        return (False, None)


@pytest.fixture
def matrix_case(intake_specialist, organization):
    """A case that meets every transition condition (lines, eligibility, checklist)."""

    def build(state: str, *, held_denial: bool = True) -> CareRequest:
        case = make_case(
            actor=intake_specialist,
            organization=organization,
            submit=state != S.DRAFT,
            lines=2,
        )
        CareRequest.objects.filter(pk=case.pk).update(
            eligibility_status=CareRequest.Eligibility.VERIFIED
        )
        if held_denial:
            # A second line denied administratively meets approve_remaining's condition.
            case.service_lines.filter(sequence=2).update(decision="denied")
        pended_from = S.NURSE_REVIEW if state == S.PENDING_INFO else ""
        return force_status(case, state, pended_from=pended_from)

    return build


def test_matrix_covers_every_transition_of_the_model():
    field = CareRequest._meta.get_field("status")
    names = {t.name for t in field.get_all_transitions(CareRequest)}
    assert names == set(DESIGN)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", list(S))
def test_transition_matrix(state, role, personas, matrix_case):
    case = matrix_case(state)
    user = None if role == "system" else personas[role]
    events_before = StatusEvent.objects.filter(care_request=case).count()

    actual, targets = {}, {}
    for name in DESIGN:
        allowed, target = _try(case.pk, name, user, system=role == "system")
        actual[name] = allowed
        if allowed:
            targets[name] = target
        # Allowed or not, the savepoint rolled back: the case is as it was.
        fresh = CareRequest.objects.get(pk=case.pk)
        assert fresh.status == state
        assert StatusEvent.objects.filter(care_request=case).count() == events_before

    expected = {name: expected_allowed(name, state, role) for name in DESIGN}
    assert actual == expected
    assert targets == {name: TARGET[name] for name, ok in expected.items() if ok}
    if user is not None:
        # What the UI offers is exactly what the server accepts.
        offered = set(available_actions(CareRequest.objects.get(pk=case.pk), user))
        assert offered == {name for name, ok in expected.items() if ok}


@pytest.mark.django_db
@pytest.mark.parametrize("state", list(S))
def test_nurse_can_never_reach_denied_or_partially_approved(state, nurse, matrix_case):
    """Not for medical necessity. The administrative denial (benefit, eligibility, network) is
    the one way, and only for reasons her plan delegates: with none delegated it is closed too
    (tests/determinations/test_administrative.py covers the reasons one by one)."""
    from determinations.models import AdministrativeAuthority

    AdministrativeAuthority.objects.update(nurse_may_decide=False)
    # Without a line denied administratively before (then approving the rest leaves the case
    # partially approved with nothing clinical denied: test_administrative_mixed.py).
    case = matrix_case(state, held_denial=False)
    for name in ("deny", "partially_approve", "deny_administratively"):
        with pytest.raises((NotPermitted, InvalidTransition)):
            care_request_transition(care_request=case, name=name, actor=nurse)
    fresh = CareRequest.objects.get(pk=case.pk)
    assert fresh.status == state
    reachable = {
        t.target
        for t in fresh.get_available_user_status_transitions(nurse)  # from this state, by her
    }
    assert reachable.isdisjoint({S.DENIED, S.PARTIALLY_APPROVED})


@pytest.mark.django_db
def test_nurse_deny_at_director_review_is_refused_as_not_permitted(nurse, matrix_case):
    case = matrix_case(S.MD_REVIEW)
    with pytest.raises(NotPermitted):
        care_request_transition(care_request=case, name="deny", actor=nurse)
    assert not StatusEvent.objects.filter(care_request=case, to_status=S.DENIED).exists()


@pytest.mark.django_db
def test_triage_refused_until_eligibility_verified_and_checklist_complete(
    intake_specialist, imaging_checklist, organization
):
    case = make_case(actor=intake_specialist, organization=organization)
    with pytest.raises(InvalidTransition) as excinfo:
        care_request_transition(care_request=case, name="triage", actor=intake_specialist)
    assert excinfo.value.message == (
        "Verify the member's eligibility and benefits first. "
        "Required documents are missing from the checklist."
    )
    assert CareRequest.objects.get(pk=case.pk).status == S.SUBMITTED
