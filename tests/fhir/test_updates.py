"""PAS Claim updates (Claim.related.claim): cancel the request or an item, change or add items,
add documents to a pended request; a decided request is refused; another organisation's request
is unknown; bad updates change nothing."""

import base64
import copy
from datetime import date, timedelta

import pytest
from django.utils import timezone

from intake.models import CareRequest, CareRequestStatus, Document, ServiceLine
from intake.services.workflow import care_request_request_info
from portal.models import PasSubmission
from tests.factories import ProviderFactory
from tests.fhir.conftest import CPT, counts, outcome_text, post, review_actions
from um_portal.audit.models import AuditEvent

SUBMIT = "/fhir/Claim/$submit"
PAS_SD = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ITEMS = [
    {
        "system": CPT,
        "code": "72148",
        "quantity": 1,
        "period": {"start": "2030-03-01", "end": "2030-03-31"},
    },
    {
        "system": CPT,
        "code": "97110",
        "quantity": 6,
        "period": {"start": "2030-03-01", "end": "2030-03-31"},
    },
]


def as_update(bundle: dict, earlier_identifier: str) -> dict:
    claim = bundle["entry"][0]["resource"]
    claim["related"] = [
        {
            "claim": {
                "identifier": {"system": "http://example.org/claim-id", "value": earlier_identifier}
            }
        }
    ]
    return bundle


def flag(bundle: dict, index: int, mode: str) -> dict:
    item = bundle["entry"][0]["resource"]["item"][index]
    if mode == "cancelled":
        item["modifierExtension"] = [
            {"url": f"{PAS_SD}/modifierextension-infoCancelled", "valueBoolean": True}
        ]
    else:
        item["extension"] = [{"url": f"{PAS_SD}/extension-infoChanged", "valueCode": mode}]
    return bundle


def with_pdf(bundle: dict) -> dict:
    claim = bundle["entry"][0]["resource"]
    claim["supportingInfo"] = [
        {
            "sequence": 1,
            "category": {"coding": [{"code": "additionalInformation"}]},
            "code": {"coding": [{"system": "http://loinc.org", "code": "11506-3"}]},
            "valueAttachment": {
                "contentType": "application/pdf",
                "title": "office-notes.pdf",
                "data": base64.b64encode(PDF).decode(),
            },
        }
    ]
    return bundle


@pytest.fixture
def earlier(pas_client, bundle_for, example_member):
    response = post(
        pas_client, SUBMIT, bundle_for(example_member, identifier="ORIG-1", items=ITEMS)
    )
    assert response.status_code == 200
    return CareRequest.objects.get()


@pytest.fixture
def update_of(bundle_for, example_member):
    def build(earlier_id="ORIG-1", items=ITEMS, identifier="UPD-1"):
        return as_update(
            bundle_for(example_member, identifier=identifier, items=copy.deepcopy(items)),
            earlier_id,
        )

    return build


def lines(case) -> list[tuple]:
    return [
        (line.sequence, line.code, line.units, line.start_date, line.end_date)
        for line in ServiceLine.objects.filter(care_request=case)
    ]


@pytest.mark.django_db
def test_cancelling_the_request_withdraws_it(pas_client, update_of, earlier):
    update = update_of()
    update["entry"][0]["resource"]["status"] = "cancelled"
    response = post(pas_client, SUBMIT, update)
    assert response.status_code == 200
    earlier.refresh_from_db()
    assert earlier.status == CareRequestStatus.WITHDRAWN
    assert review_actions(response.json()) == {1: "C", 2: "C"}
    assert counts() == (1, 1)


@pytest.mark.django_db
def test_cancelling_an_item_removes_that_service(pas_client, update_of, earlier):
    response = post(pas_client, SUBMIT, flag(update_of(), 1, "cancelled"))
    assert response.status_code == 200
    assert [line[1] for line in lines(earlier)] == ["72148"]
    assert review_actions(response.json()) == {1: "A4"}
    assert PasSubmission.objects.get().item_sequences == [1]
    assert (
        AuditEvent.objects.filter(action="service_line.cancelled", case_id=earlier.pk).count() == 1
    )
    earlier.refresh_from_db()
    assert earlier.status == CareRequestStatus.SUBMITTED


@pytest.mark.django_db
def test_changing_an_item_extends_it_and_keeps_the_clock(pas_client, update_of, earlier):
    due_at = earlier.due_at
    items = copy.deepcopy(ITEMS)
    items[1].update(quantity=12, period={"start": "2030-03-01", "end": "2030-04-30"})
    response = post(pas_client, SUBMIT, flag(update_of(items=items), 1, "changed"))
    assert response.status_code == 200
    assert lines(earlier)[1] == (2, "97110", 12, date(2030, 3, 1), date(2030, 4, 30))
    earlier.refresh_from_db()
    assert earlier.due_at == due_at  # a change to a held request does not restart the clock
    assert review_actions(response.json()) == {1: "A4", 2: "A4"}


@pytest.mark.django_db
def test_adding_an_item_adds_a_service(pas_client, update_of, earlier):
    items = [
        *ITEMS,
        {"system": CPT, "code": "72141", "quantity": 1, "sequence": 7},
    ]
    response = post(pas_client, SUBMIT, flag(update_of(items=items), 2, "added"))
    assert response.status_code == 200
    assert [line[:2] for line in lines(earlier)] == [(1, "72148"), (2, "97110"), (3, "72141")]
    assert review_actions(response.json()) == {1: "A4", 2: "A4", 7: "A4"}
    assert PasSubmission.objects.get().item_sequences == [1, 2, 7]


@pytest.mark.django_db
def test_an_update_adds_documents_once_and_answers_a_pended_request(
    pas_client, update_of, earlier, intake_specialist
):
    care_request_request_info(
        care_request=earlier,
        actor=intake_specialist,
        description="Send the office notes.",
        due_by=timezone.now() + timedelta(days=2),
    )
    response = post(pas_client, SUBMIT, with_pdf(update_of()))
    assert response.status_code == 200
    assert Document.objects.filter(care_request=earlier).count() == 1
    earlier.refresh_from_db()
    assert earlier.status == CareRequestStatus.SUBMITTED  # back to intake, who asked
    # The same attachment again (a resent update) is not stored twice.
    assert post(pas_client, SUBMIT, with_pdf(update_of(identifier="UPD-2"))).status_code == 200
    assert Document.objects.filter(care_request=earlier).count() == 1


@pytest.mark.django_db
def test_an_update_of_a_denied_request_is_refused(pas_client, update_of, earlier):
    CareRequest.objects.filter(pk=earlier.pk).update(status=CareRequestStatus.DENIED)
    response = post(pas_client, SUBMIT, flag(update_of(), 1, "cancelled"))
    assert response.status_code == 422
    assert outcome_text(response.json()) == (
        f"Request {earlier.reference} was denied and cannot be updated: file a new request, "
        "or an appeal of the denial."
    )
    assert len(lines(earlier)) == 2


@pytest.mark.django_db
def test_an_update_of_an_approved_request_is_refused(pas_client, update_of, earlier):
    CareRequest.objects.filter(pk=earlier.pk).update(status=CareRequestStatus.APPROVED)
    response = post(pas_client, SUBMIT, flag(update_of(), 0, "cancelled"))
    assert response.status_code == 422
    assert "file a new request" in outcome_text(response.json())
    assert len(lines(earlier)) == 2


@pytest.mark.django_db
def test_another_organisations_request_is_unknown(
    outsider_pas_client, update_of, earlier, outsider
):
    outsider_provider = ProviderFactory(organization=outsider.provider_organization)
    update = flag(update_of(), 1, "cancelled")
    update["entry"][4]["resource"]["identifier"][0]["value"] = outsider_provider.npi
    response = post(outsider_pas_client, SUBMIT, update)
    assert response.status_code == 404
    assert response.json()["issue"][0]["code"] == "not-found"
    assert len(lines(earlier)) == 2
    assert counts() == (1, 1)


@pytest.mark.django_db
def test_an_update_of_an_unknown_request_is_not_found(pas_client, update_of, earlier):
    response = post(pas_client, SUBMIT, update_of(earlier_id="NOPE"))
    assert response.status_code == 404
    assert counts() == (1, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda b: flag(b, 1, "altered"), "infoChanged must be 'changed' or 'added'"),
        (lambda b: flag(b, 0, "added"), "item 1 is already on request"),
        (
            lambda b: _recode(flag(b, 1, "changed"), 1, "72141"),
            "cannot change (97110 to 72141): cancel the item and add a new one",
        ),
        (lambda b: _resequence(b, 1, 9), "has no item 9; a new item carries infoChanged 'added'"),
    ],
)
def test_a_bad_update_changes_nothing(pas_client, update_of, earlier, change, expected):
    before = (lines(earlier), AuditEvent.objects.count())
    response = post(pas_client, SUBMIT, change(update_of()))
    assert response.status_code == 422
    assert expected in outcome_text(response.json())
    assert (lines(earlier), AuditEvent.objects.count()) == before


@pytest.mark.django_db
def test_cancelling_every_item_is_refused_with_what_to_do(pas_client, update_of, earlier):
    update = flag(flag(update_of(), 0, "cancelled"), 1, "cancelled")
    response = post(pas_client, SUBMIT, update)
    assert response.status_code == 422
    assert "withdraw the request" in outcome_text(response.json())
    assert len(lines(earlier)) == 2


def _recode(bundle: dict, index: int, code: str) -> dict:
    bundle["entry"][0]["resource"]["item"][index]["productOrService"]["coding"][0]["code"] = code
    return bundle


def _resequence(bundle: dict, index: int, sequence: int) -> dict:
    bundle["entry"][0]["resource"]["item"][index]["sequence"] = sequence
    return bundle
