"""Reopening chains determinations; decisions from intake, the rules engine and nurses are
recorded with their letters by the registered recorder."""

import pytest
from django.db import transaction

from determinations.models import Determination, Letter
from determinations.services import determination_issue, determination_reopen
from intake.models import StatusEvent
from intake.services.authorization import service_lines_approve_as_requested
from intake.services.decision_hooks import DecisionNotice, notify_decision
from intake.services.transitions import care_request_transition
from intake.services.workflow import care_request_close_not_required
from tests.determinations.conftest import approve, deny
from tests.factories import make_case
from um_portal.lib.errors import InvalidTransition, NotPermitted, ValidationFailed


@pytest.mark.django_db
def test_reopening_creates_a_linked_determination_with_its_own_letters(
    md_case, director, criteria_set
):
    lines = list(md_case.service_lines.all())
    first = determination_issue(
        case=md_case, director=director, line_decisions=[deny(x, criteria_set) for x in lines]
    )
    determination_reopen(case=md_case, director=director, reason="Peer-to-peer: new MRI findings.")
    md_case.refresh_from_db()
    assert md_case.status == "md_review"
    second = determination_issue(
        case=md_case,
        director=director,
        line_decisions=[approve(x) for x in lines],
        kind="reopening",
    )
    md_case.refresh_from_db()
    assert (second.kind, second.previous, second.outcome, md_case.status) == (
        "reopening",
        first,
        "approved",
        "approved",
    )
    assert first.superseded_by == second
    assert Letter.objects.filter(determination=second).count() == 2
    assert Letter.objects.filter(determination=first).count() == 2
    assert set(md_case.service_lines.values_list("decision", flat=True)) == {"approved"}
    reopen_event = StatusEvent.objects.get(care_request=md_case, transition="reopen")
    assert reopen_event.note == "Peer-to-peer: new MRI findings."


@pytest.mark.django_db
def test_a_reopened_case_needs_a_reopening_determination(md_case, director, criteria_set):
    lines = list(md_case.service_lines.all())
    determination_issue(
        case=md_case, director=director, line_decisions=[deny(x, criteria_set) for x in lines]
    )
    determination_reopen(case=md_case, director=director, reason="New information.")
    with pytest.raises(InvalidTransition):
        determination_issue(
            case=md_case, director=director, line_decisions=[approve(x) for x in lines]
        )
    assert Determination.objects.count() == 1


@pytest.mark.django_db
def test_initial_case_cannot_be_issued_as_a_reopening(md_case, director):
    with pytest.raises(InvalidTransition):
        determination_issue(
            case=md_case,
            director=director,
            line_decisions=[approve(x) for x in md_case.service_lines.all()],
            kind="reopening",
        )
    assert Determination.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["nurse", "intake", "manager", "provider"])
def test_only_a_director_can_reopen(persona, personas, md_case, director, criteria_set):
    lines = list(md_case.service_lines.all())
    determination_issue(
        case=md_case, director=director, line_decisions=[deny(x, criteria_set) for x in lines]
    )
    with pytest.raises(NotPermitted):
        determination_reopen(case=md_case, director=personas[persona], reason="Please.")
    md_case.refresh_from_db()
    assert md_case.status == "denied"
    assert not StatusEvent.objects.filter(care_request=md_case, transition="reopen").exists()


@pytest.mark.django_db
def test_reopening_needs_a_reason(md_case, director, criteria_set):
    determination_issue(
        case=md_case,
        director=director,
        line_decisions=[deny(x, criteria_set) for x in md_case.service_lines.all()],
    )
    with pytest.raises(ValidationFailed):
        determination_reopen(case=md_case, director=director, reason="  ")
    md_case.refresh_from_db()
    assert md_case.status == "denied"


@pytest.mark.django_db
def test_intake_not_required_closing_is_recorded_with_letters(intake_specialist, organization):
    case = make_case(actor=intake_specialist, organization=organization, code="99214")
    care_request_close_not_required(
        care_request=case, actor=intake_specialist, note="Office visits need no authorization."
    )
    d = Determination.objects.get(care_request=case)
    assert (d.outcome, d.source, d.kind, d.decided_by, d.auth_number) == (
        "not_required",
        "intake",
        "initial",
        intake_specialist,
        "",
    )
    assert d.rationale == "Office visits need no authorization."
    assert list(d.line_decisions.values_list("outcome", flat=True)) == ["not_required"]
    assert set(d.letters.values_list("recipient", "template")) == {
        ("provider", "not_required"),
        ("member", "not_required"),
    }


@pytest.mark.django_db
def test_nurse_approval_is_recorded_with_reviewer_and_auth_number(
    make_md_case, nurse, director, criteria_set
):
    case = make_md_case(lines=1)
    care_request_transition(care_request=case, name="refer_back_to_nurse", actor=director)
    with transaction.atomic():
        care_request_transition(care_request=case, name="approve", actor=nurse)
        number = service_lines_approve_as_requested(care_request=case)
        notify_decision(
            DecisionNotice(
                care_request=case,
                outcome="approved",
                source="nurse",
                actor=nurse,
                criteria_cited=[
                    {"slug": criteria_set.slug, "name": criteria_set.name, "version": 3}
                ],
            )
        )
    d = Determination.objects.get(care_request=case)
    line = case.service_lines.get()
    ld = d.line_decisions.get()
    assert (d.outcome, d.source, d.auth_number, d.reviewer_credentials) == (
        "approved",
        "nurse",
        number,
        "RN",
    )
    assert (ld.outcome, ld.approved_units, ld.approved_start) == (
        "approved",
        line.units,
        line.start_date,
    )
    assert d.letters.count() == 2


@pytest.mark.django_db
def test_rules_engine_approval_has_no_reviewer(md_case):
    with transaction.atomic():
        service_lines_approve_as_requested(care_request=md_case)
        notify_decision(
            DecisionNotice(
                care_request=md_case,
                outcome="approved",
                source="rules",
                actor=None,
                rules_version={"auto-approve-imaging": 4},
            )
        )
    d = Determination.objects.get(care_request=md_case)
    assert (d.source, d.decided_by, d.reviewer_name, d.rules_version) == (
        "rules",
        None,
        "",
        {"auto-approve-imaging": 4},
    )


@pytest.mark.django_db
def test_recorder_refuses_an_adverse_notice(md_case):
    with pytest.raises(ValueError):
        notify_decision(
            DecisionNotice(care_request=md_case, outcome="denied", source="nurse", actor=None)
        )
    assert Determination.objects.count() == 0
