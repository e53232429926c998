"""The appeal decision: an appeal-kind determination through determinations, authorization at
once on an overturn, and the Medicare Advantage IRE forwarding with its case-file PDF."""

import io

import pytest
from pypdf import PdfReader

from appeals.models import Appeal, AppealLine
from appeals.services.decide import appeal_decide
from appeals.services.ire import appeal_forward_to_ire, appeal_record_ire_decision
from determinations.models import Determination, Letter
from intake.models import CareRequest, ServiceLine
from tests.determinations.conftest import approve, deny
from um_portal.lib.errors import InvalidTransition, ValidationFailed

pytestmark = pytest.mark.django_db


def pdf_text(field) -> str:
    with field.open("rb") as fh:
        data = fh.read()
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)


def test_overturn_authorizes_at_once_through_an_appeal_determination(
    denied_case, file_appeal, appeal_director
):
    appeal = file_appeal(denied_case)
    initial = Determination.objects.get(care_request=denied_case)
    appeal = appeal_decide(
        appeal=appeal,
        director=appeal_director,
        line_decisions=[approve(al.service_line) for al in appeal.lines.all()],
    )
    assert appeal.status == "decided_overturned"
    decision = appeal.decision
    assert (decision.kind, decision.outcome, decision.previous) == ("appeal", "approved", initial)
    assert decision.decided_by == appeal_director
    assert decision.auth_number
    case = CareRequest.objects.get(pk=denied_case.pk)
    # The case keeps its initial decision (the CMS-0057-F counts); the lines carry the new one.
    assert (case.status, case.auth_number) == ("denied", decision.auth_number)
    assert set(case.service_lines.values_list("decision", flat=True)) == {"approved"}
    assert set(AppealLine.objects.filter(appeal=appeal).values_list("outcome", flat=True)) == {
        "overturned"
    }
    assert sorted(
        Letter.objects.filter(determination=decision).values_list("template", "recipient")
    ) == [("appeal_decision", "member"), ("appeal_decision", "provider")]
    assert list(appeal.events.values_list("transition", flat=True)) == [
        "file",
        "start_review",
        "overturn",
    ]


def test_partial_overturn_and_modified_line(
    denied_case, file_appeal, appeal_director, criteria_set
):
    appeal = file_appeal(denied_case)
    line1, line2 = [al.service_line for al in appeal.lines.all()]
    appeal = appeal_decide(
        appeal=appeal,
        director=appeal_director,
        line_decisions=[approve(line1), deny(line2, criteria_set)],
    )
    assert appeal.status == "decided_partially_overturned"
    assert dict(appeal.lines.values_list("service_line__sequence", "outcome")) == {
        1: "overturned",
        2: "upheld",
    }
    assert ServiceLine.objects.get(pk=line2.pk).decision == "denied"


def test_upholding_needs_reason_and_criterion_and_writes_nothing_without(
    denied_case, file_appeal, appeal_director
):
    appeal = file_appeal(denied_case)
    lines = [al.service_line for al in appeal.lines.all()]
    from determinations.services import LineDecisionInput

    with pytest.raises(ValidationFailed) as excinfo:
        appeal_decide(
            appeal=appeal,
            director=appeal_director,
            line_decisions=[
                LineDecisionInput(service_line=line, outcome="denied") for line in lines
            ],
        )
    assert set(excinfo.value.field_errors) == {
        f"lines[{n}].{f}" for n in (1, 2) for f in ("reason_code", "rationale", "criteria_set")
    }
    assert Appeal.objects.get(pk=appeal.pk).status == "received"
    assert Determination.objects.filter(kind="appeal").count() == 0


def test_every_appealed_line_must_be_decided(denied_case, file_appeal, appeal_director):
    appeal = file_appeal(denied_case)
    first = appeal.lines.first().service_line
    with pytest.raises(ValidationFailed):
        appeal_decide(appeal=appeal, director=appeal_director, line_decisions=[approve(first)])
    assert Determination.objects.filter(kind="appeal").count() == 0


def test_ma_upheld_appeal_is_queued_for_the_ire_and_forwarded_with_its_case_file(
    denied_case, file_appeal, appeal_director, criteria_set, django_capture_on_commit_callbacks
):
    appeal = file_appeal(denied_case)
    with django_capture_on_commit_callbacks(execute=True):
        appeal = appeal_decide(
            appeal=appeal,
            director=appeal_director,
            line_decisions=[deny(al.service_line, criteria_set) for al in appeal.lines.all()],
        )
    appeal = Appeal.objects.get(pk=appeal.pk)
    assert appeal.status == "forwarded_to_ire"
    assert appeal.ire_forwarded_at is not None
    assert len(appeal.ire_case_file_sha256) == 64
    text = pdf_text(appeal.ire_case_file)
    assert f"Case file: appeal {appeal.reference}" in text
    assert "Initial determination – Denied" in text
    assert "Appeal – Denied" in text
    assert "Advanced imaging of the lumbar spine, version 3" in text
    assert "Reason given: The member has had eight weeks of therapy" in text
    # Staff read reason labels, never codes (issue 14).
    assert "(Not medically necessary)" in " ".join(text.split())
    assert "not_med_necessary" not in text
    # A second run (a redelivered task) finds it forwarded and does nothing.
    assert appeal_forward_to_ire(appeal_id=appeal.pk) is False
    assert list(appeal.events.values_list("transition", "actor"))[-1] == ("forward_to_ire", None)


def test_medicaid_upheld_appeal_is_not_forwarded(
    make_denied_case, file_appeal, appeal_director, criteria_set
):
    appeal = file_appeal(make_denied_case(lob="medicaid"))
    appeal = appeal_decide(
        appeal=appeal,
        director=appeal_director,
        line_decisions=[deny(al.service_line, criteria_set) for al in appeal.lines.all()],
    )
    assert appeal_forward_to_ire(appeal_id=appeal.pk) is False
    with pytest.raises(InvalidTransition):
        from appeals.services.transitions import appeal_transition

        appeal_transition(appeal=appeal, name="forward_to_ire", actor=None, system=True)
    assert Appeal.objects.get(pk=appeal.pk).status == "decided_upheld"


def test_ire_overturn_is_effectuated(
    denied_case, file_appeal, appeal_director, criteria_set, intake_specialist
):
    appeal = file_appeal(denied_case)
    appeal_decide(
        appeal=appeal,
        director=appeal_director,
        line_decisions=[deny(al.service_line, criteria_set) for al in appeal.lines.all()],
    )
    appeal_forward_to_ire(appeal_id=appeal.pk)
    appeal = appeal_record_ire_decision(
        appeal=Appeal.objects.get(pk=appeal.pk),
        actor=intake_specialist,
        overturned=True,
        ire_reference="IRE-2026-0042",
    )
    assert appeal.status == "ire_overturned"
    assert appeal.ire_effectuated_at is not None
    newest = Determination.objects.filter(care_request=denied_case).order_by("-decided_at").first()
    assert (newest.kind, newest.outcome, newest.reviewer_name) == (
        "appeal",
        "approved",
        "Independent review entity",
    )
    assert set(denied_case.service_lines.values_list("decision", flat=True)) == {"approved"}
    assert CareRequest.objects.get(pk=denied_case.pk).auth_number == newest.auth_number


def test_sweep_forwards_an_appeal_whose_task_was_lost(
    denied_case, file_appeal, appeal_director, criteria_set
):
    from appeals.tasks import appeals_forward_sweep_task

    appeal = file_appeal(denied_case)
    # Decided without running the after-commit task (as when the broker was down).
    appeal_decide(
        appeal=appeal,
        director=appeal_director,
        line_decisions=[deny(al.service_line, criteria_set) for al in appeal.lines.all()],
    )
    assert Appeal.objects.get(pk=appeal.pk).status == "decided_upheld"
    assert appeals_forward_sweep_task() == 1
    assert appeals_forward_sweep_task() == 0
    assert Appeal.objects.get(pk=appeal.pk).status == "forwarded_to_ire"
