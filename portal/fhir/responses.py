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

from .capabilities import registered_documentation, registered_resources
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
    "A2": "Certified - partial",
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
    S.PARTIALLY_APPROVED: "A2",
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


def _review_extension(code: str, number: str, reason: dict | None = None) -> dict:
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
    if reason:
        ext.append({"url": "reasonCode", "valueCodeableConcept": reason})
    return {"url": REVIEW_ACTION_URL, "extension": ext}


def _adjudication(code: str, number: str, reason: dict | None = None) -> list[dict]:
    adjudication = {
        "extension": [_review_extension(code, number, reason)],
        "category": {"coding": [{"system": ADJUDICATION, "code": "submitted"}]},
    }
    if reason:
        adjudication["reason"] = reason
    return [adjudication]


def _period(start, end) -> dict:
    return {"start": start.isoformat(), "end": end.isoformat()}


SYSTEM_URLS = {
    "cpt": "http://www.ama-assn.org/go/cpt",
    "hcpcs": "https://bluebutton.cms.gov/resources/codesystem/hcpcs",
    "x12_service_type": "https://codesystem.x12.org/005010/1365",
    "revenue": "https://www.nubc.org/CodeSystem/RevenueCodes",
}


# Our reason codes (DenialReason.code): X12's list 886 is licensed and not mapped here, so the
# code is ours and the CodeableConcept's text is the specific, plain-language reason.
DENIAL_REASON_SYSTEM = "urn:um-portal:denial-reason"
ADVERSE_ACTIONS = {"A3", "A6"}


def line_reason(line_decision) -> dict | None:
    """The reason of one line's decision as a CodeableConcept, or None when it has none (an
    approval in full). `line_decision` is a LineDecision annotated with `reason_text` (the
    reason's plain language), as determinations.selectors.decision_summary_for_provider gives."""
    if line_decision is None or not line_decision.reason_code:
        return None
    text = getattr(line_decision, "reason_text", "") or line_decision.reason_label
    coding = {"system": DENIAL_REASON_SYSTEM, "code": line_decision.reason_code}
    if line_decision.reason_label:
        coding["display"] = line_decision.reason_label
    return {"coding": [coding], **({"text": text} if text else {})}


def decision_note(sequence: int, line: ServiceLine, code: str, line_decision) -> str:
    """The plain-text decision on one item: what was decided, why, and on what grounds.
    CMS-0057-F: a denial states its specific reason, whatever the channel."""
    what = f"Item {sequence} ({line.code}): {REVIEW_ACTIONS[code].lower()}"
    parts = [what]
    if code == "A6":
        start = line.approved_start or line.start_date
        end = line.approved_end or line.end_date
        parts.append(
            f"authorized {line.approved_units or line.units} of {line.units} units "
            f"from {start.isoformat()} to {end.isoformat()}"
        )
    if line_decision is not None:
        reason = getattr(line_decision, "reason_text", "") or line_decision.reason_label
        if reason:
            parts.append(f"reason: {reason.strip().rstrip('.')}")
        if line_decision.rationale.strip():
            parts.append(f"the reviewer's rationale: {line_decision.rationale.strip().rstrip('.')}")
        if line_decision.criteria_set_name:
            parts.append(f"criteria applied: {line_decision.criteria_set_name}")
    return "; ".join(parts) + "."


def appeal_note(appeal_by) -> str:
    return (
        f"You may appeal the adverse decision until {appeal_by.isoformat()}: file an appeal "
        "(reconsideration) with the plan before that date, or ask for a peer-to-peer "
        "discussion with the medical director."
    )


def _total_adjudication(care_request: CareRequest, number: str) -> list[dict]:
    """The review action of the request as a whole (A2 when only part was certified)."""
    code = CASE_ACTIONS.get(care_request.status, "A4")
    return _adjudication(code, number)


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
    decision: dict | None = None,
) -> ClaimResponse:
    """`decision`: decision_summary_for_provider's answer for a decided case (the line
    decisions in force with their reasons, and the appeal deadline), else None."""
    lines = list(care_request.service_lines.all())
    authorized = care_request.status in (S.APPROVED, S.PARTIALLY_APPROVED)
    number = care_request.auth_number if authorized else ""
    decided = {ld.service_line_id: ld for ld in (decision or {}).get("lines", [])}
    notes = [w.diagnostics for w in warnings]
    items, add_items = [], []
    for line, sequence in zip(lines, item_sequences, strict=False):
        code = review_action(care_request, line)
        line_decision = decided.get(line.pk)
        reason = line_reason(line_decision)
        item = {"itemSequence": sequence, "adjudication": _adjudication(code, number, reason)}
        if code in ADVERSE_ACTIONS or reason is not None:
            notes.append(decision_note(sequence, line, code, line_decision))
            item["noteNumber"] = [len(notes)]
        if code in ("A1", "A6"):
            start = line.approved_start or line.start_date
            end = line.approved_end or line.end_date
            item["extension"] = [
                {"url": ITEM_PREAUTH_PERIOD_URL, "valuePeriod": _period(start, end)}
            ]
        items.append(item)
        if code == "A6":
            add_items.append(modified_add_item(line, sequence, number, reason, item))
    if decision and decision.get("appeal_by"):
        notes.append(appeal_note(decision["appeal_by"]))
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
        "adjudication": _total_adjudication(care_request, number),
    }
    if number:
        data["preAuthRef"] = number
        data["preAuthPeriod"] = _period(
            min(line.approved_start or line.start_date for line in lines),
            max(line.approved_end or line.end_date for line in lines),
        )
    if add_items:
        data["addItem"] = add_items
    if notes:
        data["processNote"] = [
            {"number": i, "type": "display", "text": text} for i, text in enumerate(notes, start=1)
        ]
    return ClaimResponse.model_validate(data)


def modified_add_item(line: ServiceLine, sequence: int, number: str, reason, item: dict) -> dict:
    """The authorized version of a modified item (PAS: addItem carries what was approved)."""
    add_item = {
        "itemSequence": [sequence],
        "productOrService": {
            "coding": [{"system": SYSTEM_URLS[line.code_system], "code": line.code}]
        },
        "servicedPeriod": _period(
            line.approved_start or line.start_date, line.approved_end or line.end_date
        ),
        "quantity": {"value": line.approved_units or line.units},
        "adjudication": _adjudication("A6", number, reason),
    }
    if "noteNumber" in item:
        add_item["noteNumber"] = item["noteNumber"]
    return add_item


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


SUPPORTED_DOCUMENTATION = (
    "Claim/$submit accepts a PAS request Bundle (posted as it is or as the Parameters "
    "'resource'). Claim.supportingInfo attachments are accepted inline (Attachment.data) or as a "
    "DocumentReference with base64 content or pointing to a Binary in the Bundle; PDF, PNG, JPEG "
    "and TIFF only, at most 20 per request, each within the upload size limit; URLs are not "
    "fetched. The ClaimResponse carries per item the X12 306 review action (A1, A3, A4, A6, C, "
    "NA; A2 for the request as a whole), the reason code with its plain-language text, the "
    "authorized quantity and period in addItem for modified items, the authorization number and "
    "the appeal deadline in processNote. Claim/$inquire answers any request of the "
    "organisation: one sent through PAS by its Claim.identifier, any other (portal, REST, fax) "
    "by its authorization number or our request reference, always with the patient (member ID, "
    "or name and birth date) and the requesting provider's NPI matching. "
    "A Claim with related.claim updates the earlier request of the organisation while it waits "
    "for its decision: Claim.status 'cancelled' cancels it; items carry infoCancelled (cancel) "
    "or infoChanged 'changed' (units, dates) or 'added'; supportingInfo attachments are added "
    "to the case. A decided request cannot be updated. "
    "Not supported: reading or searching Claim or ClaimResponse by id."
)


def capability_statement(base_url: str) -> dict:
    """What this server supports, and only that: the two PAS operations on Claim. No resource
    is readable or searchable by REST (a ClaimResponse is only ever returned by an operation),
    so no interaction is listed; installed apps add theirs (portal.fhir.capabilities)."""
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
                    "documentation": " ".join(
                        filter(None, [SUPPORTED_DOCUMENTATION, registered_documentation()])
                    ),
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
                        *registered_resources(),
                    ],
                }
            ],
        }
    )
    return to_json(statement)


def to_json(resource) -> dict:
    return resource.model_dump(mode="json", by_alias=True, exclude_none=True)
