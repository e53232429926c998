"""Issue #17's "done when", end to end over HTTP only (no browser): an EHR asks CRD about an MRI
order, is told prior authorization and documentation are needed, fetches the DTR questionnaire,
submits PAS with the QuestionnaireResponses and a PDF, is pended, subscribes (rest-hook to a
local receiver), and receives the decision when the nurse approves."""

import copy

import pytest

from intake.demo import demo_pdf
from intake.models import CareRequest
from review.services.nurse_review import care_request_nurse_approve
from tests.fhir.conftest import CPT, post, review_actions
from tests.fhir.test_attachments import document_reference, with_documents
from tests.review.conftest import answer_all, to_nurse_review
from tests.subscriptions.conftest import endpoint  # noqa: F401 - the local rest-hook receiver
from tests.subscriptions.test_subscriptions import subscription_body

from .conftest import call, hook_request, make_token
from .test_pas_questionnaire_response import questionnaire_response

pytestmark = pytest.mark.django_db


def _hook_for(coverage) -> dict:
    body = hook_request((CPT, "72148"))
    for entry in body["prefetch"]["coverage"]["entry"]:
        entry["resource"]["subscriberId"] = coverage.member_number
        entry["resource"]["identifier"] = [{"value": coverage.member_number}]
    return body


def _answers(questionnaire: dict) -> list[dict]:
    """What a clinician fills in: every boolean yes, every text a sentence."""
    out = []
    for item in questionnaire["item"]:
        entry = {"linkId": item["linkId"]}
        if item.get("item"):
            entry["item"] = _answers(item)
        elif item["type"] == "boolean":
            entry["answer"] = [{"valueBoolean": True}]
        elif item["type"] in ("string", "text"):
            entry["answer"] = [
                {"valueString": "M54.16" if item["linkId"] == "diagnoses" else "Yes"}
            ]
        out.append(entry)
    return out


def test_ehr_goes_from_crd_to_a_decision_over_http(
    client,
    cds_client,
    rules,
    rsa_key,
    pas_client,
    bundle_for,
    example_member,
    org_provider,
    endpoint,  # noqa: F811
    intake_specialist,
    nurse,
    django_capture_on_commit_callbacks,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    # 1. CRD at order-sign: prior authorization and documentation needed.
    answer = call(client, _hook_for(example_member), make_token(rsa_key)).json()
    [card] = answer["cards"]
    assert card["summary"] == "Prior authorization required, documentation needed (72148)"
    coverage_info = answer["systemActions"][0]["resource"]["extension"][0]["extension"]
    canonicals = [p["valueCanonical"] for p in coverage_info if p["url"] == "questionnaire"]
    assert len(canonicals) == 3

    # 2. DTR: fetch each questionnaire and answer it.
    responses = []
    for canonical in canonicals:
        questionnaire = pas_client.get(canonical.removeprefix("http://testserver")).json()
        value, resources = questionnaire_response(questionnaire["id"], _answers(questionnaire))
        resources[0]["resource"]["questionnaire"] = canonical
        responses.append((value, resources))

    # 3. PAS with the responses and the office notes as a PDF: pended for review.
    bundle = bundle_for(
        example_member,
        identifier="EHR-1",
        items=[{"system": CPT, "code": "72148", "quantity": 1}],
    )
    bundle = with_documents(
        copy.deepcopy(bundle),
        *responses,
        document_reference("11506-3", demo_pdf("Office notes"), "Office notes"),
    )
    submitted = post(pas_client, "/fhir/Claim/$submit", bundle)
    assert submitted.status_code == 200, submitted.content
    assert review_actions(submitted.json()) == {1: "A4"}
    case = CareRequest.objects.get()
    assert case.documents.count() == 4

    # 4. Subscribe for the decision (rest-hook to the local receiver).
    with django_capture_on_commit_callbacks(execute=True):
        subscribed = post(
            pas_client, "/fhir/Subscription", subscription_body(endpoint.url, org_provider.npi)
        )
    assert subscribed.status_code == 201, subscribed.content

    # 5. The nurse approves; the EHR's receiver gets the ClaimResponse with the approval.
    case = to_nurse_review(case, intake=intake_specialist, assign_to=nurse)
    answer_all(case, nurse, "met")
    with django_capture_on_commit_callbacks(execute=True):
        care_request_nurse_approve(care_request=case, nurse=nurse, summary="All met.")
    assert endpoint.kinds() == ["handshake", "event-notification"]
    response_bundle = endpoint.received[1]["entry"][1]["resource"]
    assert review_actions(response_bundle) == {1: "A1"}
    assert response_bundle["entry"][0]["resource"]["preAuthRef"] == (
        CareRequest.objects.get().auth_number
    )
