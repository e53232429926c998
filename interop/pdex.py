"""Our records as the FHIR resources of the Patient Access API: the PDex Prior Authorization
profile (an ExplanationOfBenefit with use = preauthorization), Patient and Coverage. Each is
validated with fhir.resources' R4B models before it leaves."""

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.coverage import Coverage as FhirCoverage
from fhir.resources.R4B.explanationofbenefit import ExplanationOfBenefit
from fhir.resources.R4B.patient import Patient

from intake.models import CareRequest, Coverage, Member, ServiceLine
from intake.models.care_request import CareRequestStatus as S

PDEX = "http://hl7.org/fhir/us/davinci-pdex"
PRIOR_AUTH_PROFILE = f"{PDEX}/StructureDefinition/pdex-priorauthorization"
ADJUDICATION = f"{PDEX}/CodeSystem/PDexAdjudication"
PAYER_ADJUDICATION_STATUS = f"{PDEX}/CodeSystem/PDexPayerAdjudicationStatus"
CLAIM_TYPE = "http://terminology.hl7.org/CodeSystem/claim-type"
MEMBER_ID_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"
SYSTEM_URLS = {
    "cpt": "http://www.ama-assn.org/go/cpt",
    "hcpcs": "https://bluebutton.cms.gov/resources/codesystem/hcpcs",
    "x12_service_type": "https://codesystem.x12.org/005010/1365",
    "revenue": "https://www.nubc.org/CodeSystem/RevenueCodes",
}
DENIAL_REASON_SYSTEM = "urn:um-portal:denial-reason"
# ExplanationOfBenefit.outcome: queued while under review, complete once every line is
# decided, partial when some are approved and some not.
OUTCOME = {S.PARTIALLY_APPROVED: "partial"}
DECIDED = (S.APPROVED, S.PARTIALLY_APPROVED, S.DENIED, S.CLOSED_NO_AUTH_REQUIRED, S.WITHDRAWN)
LINE_STATUS = {
    ServiceLine.Decision.APPROVED: "approved",
    ServiceLine.Decision.MODIFIED: "partially-approved",
    ServiceLine.Decision.DENIED: "denied",
    ServiceLine.Decision.NOT_REQUIRED: "approved",
    ServiceLine.Decision.PENDING: "pending",
}


def _json(model) -> dict:
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


def patient(member: Member) -> dict:
    resource = {
        "resourceType": "Patient",
        "id": str(member.pk),
        "name": [{"family": member.last_name, "given": [member.first_name]}],
        "gender": {"F": "female", "M": "male"}.get(member.sex, "unknown"),
        "communication": [
            {
                "language": {
                    "coding": [{"system": "urn:ietf:bcp:47", "code": member.preferred_language}]
                }
            }
        ],
    }
    if member.birth_date:
        resource["birthDate"] = member.birth_date.isoformat()
    return _json(Patient.model_validate(resource))


def coverage(item: Coverage) -> dict:
    period = {"start": item.effective_from.isoformat()}
    if item.effective_to:
        period["end"] = item.effective_to.isoformat()
    return _json(
        FhirCoverage.model_validate(
            {
                "resourceType": "Coverage",
                "id": str(item.pk),
                "status": "active" if item.status == "active" else "cancelled",
                "subscriberId": item.member_number,
                "beneficiary": {"reference": f"Patient/{item.member_id}"},
                "period": period,
                "payor": [{"display": item.plan.name}],
                "class": [
                    {
                        "type": {"coding": [{"code": "plan"}]},
                        "value": item.plan.line_of_business,
                        "name": item.plan.name,
                    }
                ],
            }
        )
    )


def _adjudication(line: ServiceLine) -> list[dict]:
    status = LINE_STATUS.get(line.decision, "pending")
    rows = [
        {
            "category": {"coding": [{"system": ADJUDICATION, "code": "submitted"}]},
            "value": line.units,
        },
        {
            "category": {"coding": [{"system": PAYER_ADJUDICATION_STATUS, "code": status}]},
        },
    ]
    if line.decision in (ServiceLine.Decision.APPROVED, ServiceLine.Decision.MODIFIED):
        units = line.approved_units if line.approved_units is not None else line.units
        rows.append(
            {
                "category": {"coding": [{"system": ADJUDICATION, "code": "allowedunits"}]},
                "value": units,
            }
        )
    decision = getattr(line, "decision_in_force", None)
    if line.decision in (ServiceLine.Decision.DENIED, ServiceLine.Decision.MODIFIED) and decision:
        rows.append(
            {
                "category": {"coding": [{"system": ADJUDICATION, "code": "denialreason"}]},
                "reason": {
                    "coding": [{"system": DENIAL_REASON_SYSTEM, "code": decision.reason_code}],
                    "text": decision.reason_text or decision.reason_label,
                },
            }
        )
    return rows


def _item(line: ServiceLine) -> dict:
    start, end = line.start_date, line.end_date
    if line.approved_start and line.approved_end:
        start, end = line.approved_start, line.approved_end
    return {
        "sequence": line.sequence,
        "productOrService": {
            "coding": [{"system": SYSTEM_URLS.get(line.code_system, ""), "code": line.code}],
            "text": line.plain_description or line.code,
        },
        "servicedPeriod": {"start": start.isoformat(), "end": end.isoformat()},
        "quantity": {"value": line.units},
        "adjudication": _adjudication(line),
    }


def prior_authorization(case: CareRequest) -> dict:
    lines = sorted(case.service_lines.all(), key=lambda line: line.sequence)
    resource = {
        "resourceType": "ExplanationOfBenefit",
        "id": str(case.pk),
        "meta": {"profile": [PRIOR_AUTH_PROFILE]},
        "identifier": [{"system": "urn:um-portal:care-request", "value": case.reference}],
        "status": "cancelled" if case.status in (S.WITHDRAWN,) else "active",
        "type": {
            "coding": [
                {
                    "system": CLAIM_TYPE,
                    "code": "institutional"
                    if case.review_setting == "inpatient"
                    else "professional",
                }
            ]
        },
        "use": "preauthorization",
        "patient": {"reference": f"Patient/{case.member_id}"},
        "created": (case.received_at or case.created_at).isoformat(),
        "insurer": {"display": case.coverage.plan.name},
        "provider": {
            "display": case.requesting_provider.name,
            "identifier": {
                "system": "http://hl7.org/fhir/sid/us-npi",
                "value": case.requesting_provider.npi,
            },
        },
        "outcome": OUTCOME.get(case.status, "complete" if case.status in DECIDED else "queued"),
        "insurance": [{"focal": True, "coverage": {"reference": f"Coverage/{case.coverage_id}"}}],
        "item": [_item(line) for line in lines],
    }
    if case.auth_number:
        resource["preAuthRef"] = [case.auth_number]
    if case.decided_at:
        resource["billablePeriod"] = {"start": case.decided_at.isoformat()}
    return _json(ExplanationOfBenefit.model_validate(resource))


def searchset(resources: list[dict], *, base: str) -> dict:
    return _json(
        Bundle.model_validate(
            {
                "resourceType": "Bundle",
                "type": "searchset",
                "total": len(resources),
                "entry": [
                    {
                        "fullUrl": f"{base}/{r['resourceType']}/{r['id']}",
                        "resource": r,
                        "search": {"mode": "match"},
                    }
                    for r in resources
                ],
            }
        )
    )
