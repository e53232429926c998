"""Every decision carries its reasons in the ClaimResponse (CMS-0057-F: a specific reason for a
denial whatever the channel): the X12 review action per item and for the whole request, the
reason code and its plain-language text, the authorized quantity and period of a modified item
in addItem, the authorization number and the appeal deadline."""

from datetime import timedelta

import pytest
from django.utils import timezone

from determinations.models import AppealPolicy, Determination, LineDecision
from intake.models import CareRequest, CareRequestStatus, ServiceLine
from tests.fhir.conftest import CPT, post, review_actions

SUBMIT = "/fhir/Claim/$submit"
ITEMS = [
    {"system": CPT, "code": "72148", "quantity": 1},
    {"system": CPT, "code": "97110", "quantity": 12},
    {"system": CPT, "code": "73721", "quantity": 1},
]


def _decide(case: CareRequest, director, outcomes: dict[int, tuple]) -> Determination:
    """Record a physician's determination on `case` as determination_issue leaves it (the rows
    and the case's status), without walking the case through intake and review first."""
    lines = {line.sequence: line for line in case.service_lines.all()}
    now = timezone.now()
    determination = Determination.objects.create(
        care_request=case,
        outcome=Determination.Outcome.PARTIALLY_APPROVED,
        source=Determination.Source.PHYSICIAN,
        decided_by=director,
        decided_at=now,
        auth_number="PA4242",
    )
    for sequence, (outcome, reason, units) in outcomes.items():
        line = lines[sequence]
        LineDecision.objects.create(
            determination=determination,
            service_line=line,
            outcome=outcome,
            approved_units=units,
            reason_code=reason,
            reason_label="Not medically necessary" if reason else "",
            rationale="No six weeks of conservative therapy documented." if reason else "",
            criteria_set_name="Lumbar MRI" if reason else "",
        )
        ServiceLine.objects.filter(pk=line.pk).update(decision=outcome, approved_units=units)
    CareRequest.objects.filter(pk=case.pk).update(
        status=CareRequestStatus.PARTIALLY_APPROVED, decided_at=now, auth_number="PA4242"
    )
    return determination


@pytest.mark.django_db
def test_a_partial_decision_answers_each_item_with_its_action_and_reason(
    pas_client, bundle_for, example_member, director
):
    bundle = bundle_for(example_member, identifier="WHY-1", items=ITEMS)
    post(pas_client, SUBMIT, bundle)
    case = CareRequest.objects.get()
    _decide(
        case,
        director,
        {
            1: ("approved", "", 1),
            2: ("modified", "not_med_necessary", 6),
            3: ("denied", "not_med_necessary", None),
        },
    )
    days = AppealPolicy.objects.get(line_of_business=case.coverage.plan.line_of_business)

    body = post(pas_client, SUBMIT, bundle).json()

    response = body["entry"][0]["resource"]
    assert review_actions(body) == {1: "A1", 2: "A6", 3: "A3"}
    total = response["adjudication"][0]["extension"][0]["extension"]
    assert total[0] == {"url": "number", "valueString": "PA4242"}
    assert total[1]["valueCodeableConcept"]["coding"][0]["code"] == "A2"
    assert response["preAuthRef"] == "PA4242"
    denied = response["item"][2]["adjudication"][0]
    reason = {
        "coding": [
            {
                "system": "urn:um-portal:denial-reason",
                "code": "not_med_necessary",
                "display": "Not medically necessary",
            }
        ],
        "text": "The information we have does not show that this service is medically "
        "necessary for you at this time under the criteria named below.",
    }
    assert denied["reason"] == reason
    assert denied["extension"][0]["extension"][-1] == {
        "url": "reasonCode",
        "valueCodeableConcept": reason,
    }
    assert "noteNumber" not in response["item"][0]
    notes = {note["number"]: note["text"] for note in response["processNote"]}
    assert notes[response["item"][2]["noteNumber"][0]] == (
        "Item 3 (73721): not certified; reason: The information we have does not show that "
        "this service is medically necessary for you at this time under the criteria named "
        "below; the reviewer's rationale: No six weeks of conservative therapy documented; "
        "criteria applied: Lumbar MRI."
    )
    line = case.service_lines.get(sequence=2)
    assert notes[response["item"][1]["noteNumber"][0]].startswith(
        f"Item 2 (97110): modified; authorized 6 of 12 units from {line.start_date.isoformat()}"
    )
    add_item = response["addItem"][0]
    assert add_item["itemSequence"] == [2]
    assert add_item["quantity"] == {"value": 6}
    assert add_item["servicedPeriod"] == {
        "start": line.start_date.isoformat(),
        "end": line.end_date.isoformat(),
    }
    assert add_item["noteNumber"] == response["item"][1]["noteNumber"]
    appeal_by = timezone.localdate() + timedelta(days=days.appeal_days)
    assert notes[len(notes)] == (
        f"You may appeal the adverse decision until {appeal_by.isoformat()}: file an appeal "
        "(reconsideration) with the plan before that date, or ask for a peer-to-peer "
        "discussion with the medical director."
    )


@pytest.mark.django_db
def test_a_pended_request_has_no_reasons_yet(pas_client, bundle_for, example_member):
    body = post(pas_client, SUBMIT, bundle_for(example_member, items=ITEMS[:1])).json()
    response = body["entry"][0]["resource"]
    assert review_actions(body) == {1: "A4"}
    total = response["adjudication"][0]["extension"][0]["extension"]
    assert [e["valueCodeableConcept"]["coding"][0]["code"] for e in total] == ["A4"]
    assert "reason" not in response["item"][0]["adjudication"][0]
    assert "processNote" not in response
