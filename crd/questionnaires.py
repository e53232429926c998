"""DTR: our documentation rules as FHIR Questionnaires (Da Vinci DTR), built from the data that
already holds them — each current criteria set (review) and each current document-checklist rule
(intake) — so a reviewer's criteria and the EHR's questionnaire never drift apart.

Ids: `criteria-<slug>` and `checklist-<key>`. Items that the EHR can answer from its record carry
an SDC initialExpression in FHIRPath (diagnoses, prior imaging); `prepopulate` evaluates them
with fhirpathpy for the portal's DTR page, as a DTR app would in the EHR."""

import uuid

import fhirpathpy
from django.utils import timezone

from intake.models import ChecklistRequirement
from review.models import CriteriaSet

DTR = "http://hl7.org/fhir/us/davinci-dtr"
STD_PROFILE = f"{DTR}/StructureDefinition/dtr-std-questionnaire"
INITIAL_EXPRESSION = (
    "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire-initialExpression"
)
CPT = "http://www.ama-assn.org/go/cpt"
HCPCS = "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
DIAGNOSES_EXPRESSION = f"%conditions.code.coding.where(system='{ICD10CM}').code"
IMAGING_EXPRESSION = "%imaging.where(status='final').code.text"
MAX_ID = 64


def _fhirpath(expression: str) -> list[dict]:
    return [
        {
            "url": INITIAL_EXPRESSION,
            "valueExpression": {"language": "text/fhirpath", "expression": expression},
        }
    ]


def _criteria_sets():
    return CriteriaSet.objects.filter(is_current=True).prefetch_related("criteria")


def _checklist_rules():
    return ChecklistRequirement.objects.filter(is_current=True, is_active=True)


def ids_for(*, lines, checklist_rules) -> list[str]:
    """The questionnaires that document these service lines: the criteria sets covering their
    codes, then the checklist rules that matched."""
    codes = {(line.code_system, line.code) for line in lines}
    ids = [
        f"criteria-{cs.slug}"
        for cs in CriteriaSet.objects.filter(is_current=True).order_by("slug")
        if any((cs.code_system, c) in codes for c in cs.codes)
    ]
    ids += [f"checklist-{rule.key}" for rule in checklist_rules if rule.required]
    return list(dict.fromkeys(ids))


def criteria_questionnaire(cs: CriteriaSet, fhir_base: str) -> dict:
    system = CPT if cs.code_system == "cpt" else HCPCS
    return {
        "resourceType": "Questionnaire",
        "id": f"criteria-{cs.slug}",
        "meta": {"profile": [STD_PROFILE]},
        "url": f"{fhir_base}Questionnaire/criteria-{cs.slug}",
        "version": str(cs.version),
        "name": cs.slug.replace("-", "_"),
        "title": cs.name,
        "status": "active",
        "description": cs.summary,
        "code": [{"system": system, "code": c} for c in cs.codes],
        "item": [
            {
                "linkId": "diagnoses",
                "text": "Diagnoses (ICD-10-CM codes)",
                "type": "string",
                "repeats": True,
                "required": True,
                "extension": _fhirpath(DIAGNOSES_EXPRESSION),
            },
            {
                "linkId": "prior-imaging",
                "text": "Prior imaging of this area (reports on record)",
                "type": "string",
                "repeats": True,
                "extension": _fhirpath(IMAGING_EXPRESSION),
            },
            {
                "linkId": "criteria",
                "text": cs.name,
                "type": "group",
                "item": [
                    {
                        "linkId": f"criterion-{c.sequence}",
                        "text": c.text,
                        "type": "boolean",
                        "required": True,
                    }
                    for c in cs.criteria.all()
                ],
            },
        ],
    }


def checklist_questionnaire(rule: ChecklistRequirement, fhir_base: str) -> dict:
    return {
        "resourceType": "Questionnaire",
        "id": f"checklist-{rule.key}",
        "meta": {"profile": [STD_PROFILE]},
        "url": f"{fhir_base}Questionnaire/checklist-{rule.key}",
        "version": str(rule.version),
        "name": rule.key.replace("-", "_"),
        "title": rule.description,
        "status": "active",
        "code": [{"system": CPT, "code": c} for c in rule.service_codes],
        "item": [
            {
                "linkId": "document",
                "text": rule.description,
                "type": "attachment",
                "required": rule.required,
            },
            {"linkId": "document-summary", "text": "Summary of the document", "type": "text"},
        ],
    }


def questionnaire_list(fhir_base: str) -> list[dict]:
    return [criteria_questionnaire(cs, fhir_base) for cs in _criteria_sets().order_by("slug")] + [
        checklist_questionnaire(r, fhir_base) for r in _checklist_rules().order_by("key")
    ]


def questionnaire_get(qid: str, fhir_base: str) -> dict | None:
    kind, _, key = (qid or "")[:MAX_ID].partition("-")
    if kind == "criteria":
        cs = _criteria_sets().filter(slug=key).first()
        return criteria_questionnaire(cs, fhir_base) if cs else None
    if kind == "checklist":
        rule = _checklist_rules().filter(key=key).first()
        return checklist_questionnaire(rule, fhir_base) if rule else None
    return None


def questionnaire_for_canonical(canonical: str, fhir_base: str) -> dict | None:
    url = (canonical or "").split("|", 1)[0].rstrip("/")
    return questionnaire_get(url.rsplit("/", 1)[-1], fhir_base) if "Questionnaire/" in url else None


def _initial_values(item: dict, values: list) -> list[dict]:
    kind = "valueString" if item["type"] in ("string", "text") else "valueBoolean"
    return [{kind: v} for v in values if isinstance(v, str | bool)]


def prepopulate(questionnaire: dict, *, conditions: list[dict], imaging: list[dict]) -> dict:
    """A QuestionnaireResponse (in-progress) with the initialExpressions evaluated against the
    launch context (SDC: %conditions, %imaging)."""
    env = {"conditions": conditions, "imaging": imaging}

    def answer(items: list[dict]) -> list[dict]:
        out = []
        for item in items:
            entry = {"linkId": item["linkId"], "text": item.get("text", "")}
            if item.get("item"):
                entry["item"] = answer(item["item"])
            for ext in item.get("extension") or []:
                if ext.get("url") == INITIAL_EXPRESSION:
                    values = fhirpathpy.evaluate({}, ext["valueExpression"]["expression"], env)
                    found = _initial_values(item, values)
                    if found:
                        entry["answer"] = found
            out.append(entry)
        return out

    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{questionnaire['url']}|{questionnaire['version']}",
        "status": "in-progress",
        "item": answer(questionnaire["item"]),
    }


def questionnaire_package(questionnaires: list[dict], *, missing: list[str] = ()) -> dict:
    """The $questionnaire-package answer (DTR oper-10, -12, -18): a Parameters with one
    `packagebundle` per questionnaire, holding the Questionnaire first and an initial draft
    QuestionnaireResponse citing its exact version. No Libraries or ValueSets: our expressions
    are FHIRPath and our answers are booleans and text. Canonicals we do not know are a
    warning in `outcome` (oper-9)."""
    parameters = []
    for q in questionnaires:
        draft = {
            "resourceType": "QuestionnaireResponse",
            "questionnaire": f"{q['url']}|{q['version']}",
            "status": "in-progress",
        }
        parameters.append(
            {
                "name": "packagebundle",
                "resource": {
                    "resourceType": "Bundle",
                    "identifier": {
                        "system": "urn:ietf:rfc:3986",
                        "value": f"urn:uuid:{uuid.uuid4()}",
                    },
                    "type": "collection",
                    "timestamp": timezone.now().isoformat(),
                    "entry": [
                        {"fullUrl": q["url"], "resource": q},
                        {"fullUrl": f"urn:uuid:{uuid.uuid4()}", "resource": draft},
                    ],
                },
            }
        )
    issues = [
        {
            "severity": "warning",
            "code": "not-found",
            "diagnostics": f"No questionnaire {canonical[:200]} here.",
        }
        for canonical in missing
    ]
    if not questionnaires:
        issues.append(
            {
                "severity": "information",
                "code": "not-found",
                "diagnostics": "No questionnaire applies to the orders given: no documentation "
                "beyond the prior authorization request itself is needed for them.",
            }
        )
    if issues:
        parameters.append(
            {"name": "outcome", "resource": {"resourceType": "OperationOutcome", "issue": issues}}
        )
    return {"resourceType": "Parameters", "parameter": parameters}
