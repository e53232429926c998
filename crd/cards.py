"""CDS Hooks answers in the CRD shape: one card per order that says what it needs, and a
systemAction that updates each order with the coverage-information extension
(http://hl7.org/fhir/us/davinci-crd/StructureDefinition/ext-coverage-information)."""

import copy
import uuid

from django.utils import timezone

from .hooks import CARD_TYPE, COVERAGE_INFO, Assessment

SOURCE_LABEL = "UM Portal utilization management"


def _source(base_url: str) -> dict:
    return {
        "label": SOURCE_LABEL,
        "url": base_url,
        "topic": {"system": CARD_TYPE, "code": "coverage-info", "display": "Coverage Information"},
    }


def _codes(result: Assessment) -> str:
    return ", ".join(code for _, code in result.order.codes) or "this order"


def summary_of(result: Assessment) -> tuple[str, str, str]:
    """(summary ≤140 characters, indicator, detail)."""
    codes = _codes(result)
    if result.unknown_code:
        return (
            "Prior authorization: cannot tell for this order",
            "warning",
            "The order carries no CPT or HCPCS code we can read; send the request and intake "
            "will decide whether it needs authorization.",
        )
    if result.pa_needed == "no-auth":
        return (
            f"Prior authorization not required ({codes})"[:140],
            "info",
            "Our needs-assessment rules do not require prior authorization for this service "
            "for this member's plan.",
        )
    if result.doc_needed:
        docs = "; ".join(result.documents) or "the documentation in the questionnaire"
        return (
            f"Prior authorization required, documentation needed ({codes})"[:140],
            "warning",
            f"Submit a prior authorization request with: {docs}. Complete the linked "
            "questionnaire (DTR) and send it with the request (PAS).",
        )
    return (
        f"Prior authorization required ({codes})"[:140],
        "warning",
        "Submit a prior authorization request before the service.",
    )


def coverage_information(result: Assessment, *, coverage_ref: str, fhir_base: str) -> dict:
    parts = [
        {"url": "coverage", "valueReference": {"reference": coverage_ref}},
        {"url": "covered", "valueCode": "conditional" if result.unknown_code else result.covered},
    ]
    if result.unknown_code:
        parts.append({"url": "pa-needed", "valueCode": "conditional"})
        parts.append({"url": "info-needed", "valueCode": "billing"})
    else:
        parts.append({"url": "pa-needed", "valueCode": result.pa_needed})
    if result.doc_needed:
        parts.append({"url": "doc-needed", "valueCode": result.doc_needed})
        parts.append({"url": "doc-purpose", "valueCode": "withpa"})
        for qid in result.questionnaires:
            parts.append(
                {"url": "questionnaire", "valueCanonical": f"{fhir_base}Questionnaire/{qid}"}
            )
    parts.append({"url": "date", "valueDate": timezone.localdate().isoformat()})
    # The assertion id lets the EHR quote this answer in its PAS request later.
    parts.append({"url": "coverage-assertion-id", "valueString": uuid.uuid4().hex})
    return {"url": COVERAGE_INFO, "extension": parts}


def hook_response(
    results: list[Assessment], *, coverage_ref: str, base_url: str, fhir_base: str, dtr_url: str
) -> dict:
    cards, actions = [], []
    for result in results:
        summary, indicator, detail = summary_of(result)
        card = {
            "uuid": str(uuid.uuid4()),
            "summary": summary,
            "indicator": indicator,
            "detail": detail,
            "source": _source(base_url),
            "extension": {
                "davinci-crd.associated-resource": [{"reference": result.order.reference}]
            },
        }
        if result.questionnaires:
            card["links"] = [
                {
                    "label": "Complete the documentation questionnaire (DTR)",
                    "url": f"{dtr_url}?questionnaire={qid}",
                    "type": "absolute",
                }
                for qid in result.questionnaires
            ]
        cards.append(card)
        updated = copy.deepcopy(result.order.resource)
        existing = updated.get("extension")
        updated["extension"] = [
            e
            for e in (existing if isinstance(existing, list) else [])
            if isinstance(e, dict) and e.get("url") != COVERAGE_INFO
        ] + [coverage_information(result, coverage_ref=coverage_ref, fhir_base=fhir_base)]
        actions.append(
            {
                "type": "update",
                "description": f"Record coverage information on {result.order.reference}",
                "resource": updated,
            }
        )
    return {"cards": cards, "systemActions": actions}


def no_coverage_response(*, base_url: str) -> dict:
    return {
        "cards": [
            {
                "uuid": str(uuid.uuid4()),
                "summary": "Coverage not found: prior authorization requirements unknown",
                "indicator": "warning",
                "detail": "We hold no coverage in force for the member ID sent. Check the "
                "patient's insurance; a prior authorization request will be checked by intake.",
                "source": _source(base_url),
            }
        ],
        "systemActions": [],
    }
