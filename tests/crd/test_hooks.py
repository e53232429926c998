"""CRD hooks answer from intake's rules (needs assessment, checklist) and review's criteria."""

import pytest

from crd.hooks import COVERAGE_INFO
from um_portal.audit.models import AccessLog

from .conftest import call, hook_request, load_fixture, make_token

CPT = "http://www.ama-assn.org/go/cpt"
HCPCS = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"

pytestmark = pytest.mark.django_db


def coverage_parts(action: dict) -> dict[str, list]:
    ext = next(e for e in action["resource"]["extension"] if e["url"] == COVERAGE_INFO)
    parts: dict[str, list] = {}
    for part in ext["extension"]:
        value = next(v for k, v in part.items() if k.startswith("value"))
        parts.setdefault(part["url"], []).append(value)
    return parts


def test_discovery_lists_three_crd_services_without_authentication(client):
    response = client.get("/cds-services")
    assert response.status_code == 200
    services = response.json()["services"]
    assert [(s["hook"], s["id"]) for s in services] == [
        ("order-sign", "order-sign-crd"),
        ("order-select", "order-select-crd"),
        ("appointment-book", "appointment-book-crd"),
    ]
    assert services[0]["prefetch"]["coverage"].startswith("Coverage?patient=")


def test_lumbar_mri_needs_authorization_and_documentation(
    client, cds_client, rules, crd_member, rsa_key
):
    response = call(client, hook_request((CPT, "72148")), make_token(rsa_key))
    assert response.status_code == 200
    body = response.json()
    [card] = body["cards"]
    assert card["summary"] == "Prior authorization required, documentation needed (72148)"
    assert card["indicator"] == "warning"
    assert "Office notes from the last 90 days" in card["detail"]
    assert card["extension"]["davinci-crd.associated-resource"] == [
        {"reference": "ServiceRequest/1"}
    ]
    assert [link["url"] for link in card["links"]] == [
        "http://testserver/portal/dtr/?questionnaire=criteria-lumbar-spine-mri",
        "http://testserver/portal/dtr/?questionnaire=checklist-imaging-clinical-notes",
        "http://testserver/portal/dtr/?questionnaire=checklist-imaging-therapy-notes",
    ]
    [action] = body["systemActions"]
    assert action["type"] == "update"
    assert action["resource"]["id"] == "1"
    parts = coverage_parts(action)
    assert parts["covered"] == ["covered"]
    assert parts["pa-needed"] == ["auth-needed"]
    assert parts["doc-needed"] == ["clinical"]
    assert parts["questionnaire"][0] == (
        "http://testserver/fhir/Questionnaire/criteria-lumbar-spine-mri"
    )
    assert parts["coverage"] == [{"reference": "Coverage/COV1"}]
    # The member's coverage was read to answer: one access-log row.
    assert list(AccessLog.objects.values_list("member_id", "action", "channel")) == [
        (crd_member.member_id, "crd_hook", "fhir")
    ]


def test_office_visit_needs_no_authorization(client, cds_client, rules, crd_member, rsa_key):
    body = call(client, hook_request((CPT, "99213")), make_token(rsa_key)).json()
    assert body["cards"][0]["summary"] == "Prior authorization not required (99213)"
    parts = coverage_parts(body["systemActions"][0])
    assert parts["pa-needed"] == ["no-auth"]
    assert "doc-needed" not in parts and "questionnaire" not in parts


def test_order_without_a_cpt_or_hcpcs_code_is_never_told_not_required(
    client, cds_client, rules, crd_member, rsa_key
):
    body = call(
        client, hook_request(("http://snomed.info/sct", "726551006")), make_token(rsa_key)
    ).json()
    assert body["cards"][0]["summary"] == "Prior authorization: cannot tell for this order"
    assert coverage_parts(body["systemActions"][0])["pa-needed"] == ["conditional"]


def test_ig_example_request_answers_each_order(client, cds_client, rules, crd_member, rsa_key):
    # 77061-77066 (imaging, billing options) and E0431 (oxygen, DME) need authorization.
    body = call(client, load_fixture("CRDServiceRequest.json"), make_token(rsa_key)).json()
    summaries = [c["summary"] for c in body["cards"]]
    assert summaries == [
        "Prior authorization required, documentation needed (77061, 77062, 77065, 77066)",
        "Prior authorization required, documentation needed (E0431)",
    ]
    assert [a["resource"]["id"] for a in body["systemActions"]] == ["1357", "2468"]


def test_device_request_and_appointment_are_read(client, cds_client, rules, crd_member, rsa_key):
    body = hook_request()
    body["context"]["draftOrders"]["entry"] = [
        {
            "resource": {
                "resourceType": "DeviceRequest",
                "id": "d1",
                "codeCodeableConcept": {"coding": [{"system": HCPCS, "code": "E0601"}]},
            }
        }
    ]
    answer = call(client, body, make_token(rsa_key)).json()
    assert answer["cards"][0]["summary"].startswith("Prior authorization required")
    appointment = hook_request(hook="appointment-book")
    appointment["context"]["appointments"] = {
        "resourceType": "Bundle",
        "entry": [
            {
                "resource": {
                    "resourceType": "Appointment",
                    "id": "a1",
                    "serviceType": [{"coding": [{"system": CPT, "code": "99214"}]}],
                }
            }
        ],
    }
    token = make_token(rsa_key, aud="http://testserver/cds-services/appointment-book-crd")
    answer = call(client, appointment, token, service="appointment-book-crd").json()
    assert answer["cards"][0]["summary"] == "Prior authorization not required (99214)"


def test_unknown_member_gets_a_coverage_not_found_card(client, cds_client, rules, rsa_key):
    body = call(client, hook_request((CPT, "72148")), make_token(rsa_key)).json()
    assert body["cards"][0]["summary"] == (
        "Coverage not found: prior authorization requirements unknown"
    )
    assert body["systemActions"] == []
    assert AccessLog.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        '{"hook": "order-select", "context": {}}',
        '{"hook": "order-sign", "context": {"draftOrders": {"entry": []}}}',
        '{"hook": "order-sign", "context": {"draftOrders": {"entry": [{"resource": 1}]}}}',
        '{"hook": "order-sign", "context": []}',
        "[" * 5000,
    ],
)
def test_unreadable_requests_answer_400_never_500(client, cds_client, rsa_key, body):
    response = client.post(
        "/cds-services/order-sign-crd",
        data=body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {make_token(rsa_key)}",
    )
    assert response.status_code == 400


def test_unknown_service_is_404(client, cds_client, rsa_key):
    response = call(client, hook_request((CPT, "72148")), make_token(rsa_key), service="nope")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "mutate",
    [
        lambda b: b["context"]["draftOrders"]["entry"][0]["resource"].update(code={"coding": 3}),
        lambda b: b["context"]["draftOrders"]["entry"][0]["resource"].update(code="x"),
        lambda b: b["context"]["draftOrders"]["entry"][0]["resource"].update(extension=5),
        lambda b: b["context"]["draftOrders"]["entry"][0]["resource"].update(id={"a": 1}),
        lambda b: b["prefetch"]["coverage"].update(entry=7),
        lambda b: b["prefetch"]["coverage"]["entry"][0]["resource"].update(identifier=1),
        lambda b: b["prefetch"].update(practitioners={"resourceType": "Bundle", "entry": [1]}),
        lambda b: b.update(prefetch=[]),
    ],
)
def test_malformed_resources_never_cause_a_500(
    client, cds_client, rules, crd_member, rsa_key, mutate
):
    body = hook_request((CPT, "72148"))
    mutate(body)
    response = call(client, body, make_token(rsa_key))
    assert response.status_code in (200, 400)
