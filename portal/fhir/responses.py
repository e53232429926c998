"""Build PAS responses with fhir.resources models: the response Bundle with its ClaimResponse,
OperationOutcome and the CapabilityStatement.

Review actions are X12 306 (HCR01) codes carried in the PAS reviewAction extension on each
item's adjudication (PAS 2.x, profile-claimresponse).
"""

import uuid

from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from fhir.resources.R4B.claimresponse import ClaimResponse
from fhir.resources.R4B.operationoutcome import OperationOutcome

from intake.models import CareRequest, CareRequestStatus, ServiceLine
from intake.models.care_request import FINAL_STATUSES

from .errors import Issue

PAS = "http://hl7.org/fhir/us/davinci-pas"
PAS_SD = f"{PAS}/StructureDefinition"
REVIEW_ACTION_URL = f"{PAS_SD}/extension-reviewAction"
REVIEW_ACTION_CODE_URL = f"{PAS_SD}/extension-reviewActionCode"
ITEM_PREAUTH_PERIOD_URL = f"{PAS_SD}/extension-itemPreAuthPeriod"
X12_306 = "https://codesystem.x12.org/005010/306"
ADJUDICATION = "http://terminology.hl7.org/CodeSystem/adjudication"
REFERENCE_SYSTEM = "urn:um-portal:care-request-reference"

REVIEW_ACTIONS = {
    "A1": "Certified in total",
    "A3": "Not certified",
    "A4": "Pended",
    "A6": "Modified",
    "C": "Cancelled",
    "NA": "No action required",
}
S = CareRequestStatus
D = ServiceLine.Decision
LINE_ACTIONS = {D.APPROVED: "A1", D.MODIFIED: "A6", D.DENIED: "A3", D.NOT_REQUIRED: "NA"}
CASE_ACTIONS = {
    S.APPROVED: "A1",
    S.DENIED: "A3",
    S.CLOSED_NO_AUTH_REQUIRED: "NA",
    S.WITHDRAWN: "C",
    S.VOIDED: "C",
}


def review_action(care_request: CareRequest, line: ServiceLine) -> str:
    """The X12 review action for one line: its own decision, else the case's state."""
    if line.decision in LINE_ACTIONS:
        return LINE_ACTIONS[line.decision]
    return CASE_ACTIONS.get(care_request.status, "A4")


def _review_extension(code: str, number: str) -> dict:
    ext = [
        {
            "url": REVIEW_ACTION_CODE_URL,
            "valueCodeableConcept": {
                "coding": [{"system": X12_306, "code": code, "display": REVIEW_ACTIONS[code]}]
            },
        }
    ]
    if number:
        ext.insert(0, {"url": "number", "valueString": number})
    return {"url": REVIEW_ACTION_URL, "extension": ext}


def _adjudication(code: str, number: str) -> list[dict]:
    return [
        {
            "extension": [_review_extension(code, number)],
            "category": {"coding": [{"system": ADJUDICATION, "code": "submitted"}]},
        }
    ]


def _period(start, end) -> dict:
    return {"start": start.isoformat(), "end": end.isoformat()}


SYSTEM_URLS = {
    "cpt": "http://www.ama-assn.org/go/cpt",
    "hcpcs": "https://bluebutton.cms.gov/resources/codesystem/hcpcs",
    "x12_service_type": "https://codesystem.x12.org/005010/1365",
    "revenue": "https://www.nubc.org/CodeSystem/RevenueCodes",
}


def claim_response(
    *,
    care_request: CareRequest,
    item_sequences: list[int],
    patient_url: str,
    insurer_url: str,
    requester_url: str,
    claim_identifier: dict,
    claim_type: dict | None,
    warnings: list[Issue] = (),
) -> ClaimResponse:
    lines = list(care_request.service_lines.all())
    authorized = care_request.status in (S.APPROVED, S.PARTIALLY_APPROVED)
    number = care_request.auth_number if authorized else ""
    items, add_items = [], []
    for line, sequence in zip(lines, item_sequences, strict=False):
        code = review_action(care_request, line)
        item = {"itemSequence": sequence, "adjudication": _adjudication(code, number)}
        if code in ("A1", "A6"):
            start = line.approved_start or line.start_date
            end = line.approved_end or line.end_date
            item["extension"] = [
                {"url": ITEM_PREAUTH_PERIOD_URL, "valuePeriod": _period(start, end)}
            ]
        items.append(item)
        if code == "A6":
            # The authorized version of a modified item (PAS: addItem carries what was approved).
            add_items.append(
                {
                    "itemSequence": [sequence],
                    "productOrService": {
                        "coding": [{"system": SYSTEM_URLS[line.code_system], "code": line.code}]
                    },
                    "servicedPeriod": _period(
                        line.approved_start or line.start_date, line.approved_end or line.end_date
                    ),
                    "quantity": {"value": line.approved_units or line.units},
                    "adjudication": _adjudication("A6", number),
                }
            )
    data = {
        "id": str(care_request.pk),
        "meta": {"profile": [f"{PAS_SD}/profile-claimresponse"]},
        "identifier": [{"system": REFERENCE_SYSTEM, "value": care_request.reference}],
        "status": "active",
        "type": claim_type
        or {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/claim-type",
                    "code": "professional",
                }
            ]
        },
        "use": "preauthorization",
        "patient": {"reference": patient_url},
        "created": timezone.now().isoformat(),
        "insurer": {"reference": insurer_url},
        "requestor": {"reference": requester_url},
        "request": {"identifier": claim_identifier},
        "outcome": "complete" if care_request.status in FINAL_STATUSES else "queued",
        "disposition": care_request.get_status_display(),
        "item": items,
    }
    if number:
        data["preAuthRef"] = number
        data["preAuthPeriod"] = _period(
            min(line.approved_start or line.start_date for line in lines),
            max(line.approved_end or line.end_date for line in lines),
        )
    if add_items:
        data["addItem"] = add_items
    if warnings:
        data["processNote"] = [
            {"number": i, "type": "display", "text": w.diagnostics}
            for i, w in enumerate(warnings, start=1)
        ]
    return ClaimResponse.model_validate(data)


def response_bundle(
    claim_response_resource: ClaimResponse, echo_entries: list[dict], warnings: list[Issue] = ()
) -> dict:
    """A PAS response Bundle: the ClaimResponse first, then the resources it refers to, then
    an OperationOutcome with the warnings, if any (the same text is in processNote)."""
    outcome = (
        [{"fullUrl": f"urn:uuid:{uuid.uuid4()}", "resource": operation_outcome(list(warnings))}]
        if warnings
        else []
    )
    bundle = Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "id": str(uuid.uuid4()),
            "meta": {"profile": [f"{PAS_SD}/profile-pas-response-bundle"]},
            "type": "collection",
            "timestamp": timezone.now().isoformat(),
            "entry": [
                {
                    "fullUrl": f"urn:uuid:{claim_response_resource.id}",
                    "resource": claim_response_resource.model_dump(
                        mode="json", by_alias=True, exclude_none=True
                    ),
                },
                *echo_entries,
                *outcome,
            ],
        }
    )
    return to_json(bundle)


def operation_outcome(issues: list[Issue]) -> dict:
    outcome = OperationOutcome.model_validate(
        {
            "resourceType": "OperationOutcome",
            "issue": [
                {
                    "severity": issue.severity,
                    "code": issue.code,
                    "diagnostics": issue.diagnostics,
                    **({"expression": issue.expression} if issue.expression else {}),
                }
                for issue in issues
            ],
        }
    )
    return to_json(outcome)


def capability_statement(base_url: str) -> dict:
    statement = CapabilityStatement.model_validate(
        {
            "resourceType": "CapabilityStatement",
            "status": "active",
            "date": timezone.now().isoformat(),
            "publisher": "UM Portal",
            "kind": "instance",
            "implementation": {"description": "UM Portal prior authorization", "url": base_url},
            "fhirVersion": "4.0.1",
            "format": ["json", "application/fhir+json"],
            "implementationGuide": [f"{PAS}/ImplementationGuide/hl7.fhir.us.davinci-pas"],
            "rest": [
                {
                    "mode": "server",
                    "security": {
                        "description": "Send `Authorization: Bearer <token>`; a token is issued "
                        "to a provider user by the payer (manage.py issue_api_token)."
                    },
                    "resource": [
                        {
                            "type": "Claim",
                            "supportedProfile": [f"{PAS_SD}/profile-claim"],
                            "operation": [
                                {
                                    "name": "submit",
                                    "definition": f"{PAS}/OperationDefinition/Claim-submit",
                                },
                                {
                                    "name": "inquire",
                                    "definition": f"{PAS}/OperationDefinition/Claim-inquiry",
                                },
                            ],
                        },
                        {
                            "type": "ClaimResponse",
                            "supportedProfile": [f"{PAS_SD}/profile-claimresponse"],
                        },
                    ],
                }
            ],
        }
    )
    return to_json(statement)


def to_json(resource) -> dict:
    return resource.model_dump(mode="json", by_alias=True, exclude_none=True)
