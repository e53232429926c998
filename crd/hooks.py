"""CRD: what a draft order needs, answered from the same rules intake applies at receipt.

The hook's draft orders become UNSAVED CareRequest and ServiceLine objects and go through
intake's needs assessment and checklist rules (intake.rules.engine): one source of truth, so
what CRD tells the EHR is what intake would decide when the request arrives."""

import uuid
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from intake.apis.coding import category_for_code
from intake.models import CareRequest, Coverage, Provider, ServiceCategory, ServiceLine
from intake.rules import engine
from portal.fhir.mapping import NPI_SYSTEM, SERVICE_SYSTEMS
from um_portal.lib.codes import service_code_error

from . import questionnaires

HOOKS = {
    "order-sign": ("draftOrders", "Coverage requirements when an order is signed"),
    "order-select": ("draftOrders", "Coverage requirements when an order is chosen"),
    "appointment-book": ("appointments", "Coverage requirements when an appointment is booked"),
}
ORDER_TYPES = {"ServiceRequest", "DeviceRequest", "MedicationRequest", "Appointment"}
CRD = "http://hl7.org/fhir/us/davinci-crd"
COVERAGE_INFO = f"{CRD}/StructureDefinition/ext-coverage-information"
BILLING_OPTIONS = f"{CRD}/StructureDefinition/ext-billing-options"
CARD_TYPE = "http://terminology.hl7.org/CodeSystem/cdshooks-card-type"
# The CRD examples spell the HCPCS system with https; PAS mapping knows the http spelling.
SYSTEMS = SERVICE_SYSTEMS | {
    "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets": "hcpcs",
}
SETTINGS = {
    "inpatient": CareRequest.ReviewSetting.INPATIENT,
    "dme": CareRequest.ReviewSetting.DME,
    "home-health": CareRequest.ReviewSetting.HOME_HEALTH,
    "behavioral-health": CareRequest.ReviewSetting.BEHAVIORAL_HEALTH,
}


class HookError(Exception):
    """A request we cannot read: 400 with this text (CDS Hooks error answers are plain)."""


@dataclass
class Order:
    resource: dict
    reference: str  # e.g. ServiceRequest/1357
    codes: list[tuple[str, str]]  # (our code system, code) for CPT/HCPCS codings


@dataclass
class Assessment:
    order: Order
    covered: str = "covered"
    pa_needed: str = "auth-needed"
    doc_needed: str = ""
    documents: list[str] = field(default_factory=list)
    questionnaires: list[str] = field(default_factory=list)  # Questionnaire ids
    unknown_code: bool = False


def _list(value) -> list:
    """A JSON array as a list; anything else (a client's mistake) as empty: no 500 for it."""
    return value if isinstance(value, list) else []


def _codings(concept) -> list[dict]:
    if not isinstance(concept, dict):
        return []
    codings = [c for c in _list(concept.get("coding")) if isinstance(c, dict)]
    for ext in _list(concept.get("extension")):
        if isinstance(ext, dict) and ext.get("url") == BILLING_OPTIONS:
            codings += _codings(ext.get("valueCodeableConcept"))
    return codings


def _order_concepts(resource: dict) -> list:
    kind = resource.get("resourceType")
    if kind == "ServiceRequest":
        return [resource.get("code")]
    if kind == "DeviceRequest":
        return [resource.get("codeCodeableConcept")]
    if kind == "MedicationRequest":
        return [resource.get("medicationCodeableConcept")]
    if kind == "Appointment":
        return _list(resource.get("serviceType")) + [resource.get("appointmentType")]
    return []


def read_orders(hook: str, context: dict) -> list[Order]:
    key = HOOKS[hook][0]
    bundle = context.get(key) if isinstance(context, dict) else None
    entries = bundle.get("entry") if isinstance(bundle, dict) else None
    if not isinstance(entries, list) or not entries:
        raise HookError(f"context.{key} must be a Bundle with at least one entry.")
    orders = []
    for entry in entries[:50]:
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict) or resource.get("resourceType") not in ORDER_TYPES:
            continue
        codes = []
        for concept in _order_concepts(resource):
            for coding in _codings(concept):
                system = SYSTEMS.get(str(coding.get("system", "")).rstrip("/"))
                code = str(coding.get("code") or "").strip().upper()
                if system and code and not service_code_error(system, code):
                    codes.append((system, code))
        ref = f"{resource['resourceType']}/{str(resource.get('id') or '')[:64]}"
        orders.append(Order(resource=resource, reference=ref, codes=list(dict.fromkeys(codes))))
    if not orders:
        raise HookError(
            f"context.{key} holds no ServiceRequest, DeviceRequest, "
            "MedicationRequest or Appointment."
        )
    return orders


def _resources(prefetch_value) -> list[dict]:
    """A prefetch answer is a resource or a searchset Bundle of them."""
    if not isinstance(prefetch_value, dict):
        return []
    if prefetch_value.get("resourceType") == "Bundle":
        return [
            e["resource"]
            for e in _list(prefetch_value.get("entry"))
            if isinstance(e, dict) and isinstance(e.get("resource"), dict)
        ]
    return [prefetch_value]


def member_numbers(prefetch: dict) -> list[str]:
    numbers = []
    for value in prefetch.values() if isinstance(prefetch, dict) else []:
        for resource in _resources(value):
            if resource.get("resourceType") != "Coverage":
                continue
            if isinstance(resource.get("subscriberId"), str):
                numbers.append(resource["subscriberId"])
            for ident in _list(resource.get("identifier")):
                if isinstance(ident, dict) and isinstance(ident.get("value"), str):
                    numbers.append(ident["value"])
    return [n.strip()[:30] for n in dict.fromkeys(numbers) if n.strip()]


def practitioner_npis(prefetch: dict) -> list[str]:
    npis = []
    for value in prefetch.values() if isinstance(prefetch, dict) else []:
        for resource in _resources(value):
            if resource.get("resourceType") not in ("Practitioner", "Organization"):
                continue
            for ident in _list(resource.get("identifier")):
                if isinstance(ident, dict) and ident.get("system") == NPI_SYSTEM:
                    npis.append(str(ident.get("value", ""))[:10])
    return npis


def coverage_for(prefetch: dict, organization) -> Coverage | None:
    """Our coverage in force today for the Coverage the EHR prefetched; None when we hold none
    (CRD then says it cannot tell, rather than guessing a plan)."""
    numbers = member_numbers(prefetch)
    if not numbers:
        return None
    today = timezone.localdate()
    candidates = (
        Coverage.objects.filter(member_number__in=numbers)
        .exclude(status=Coverage.Status.UNVERIFIED)
        .select_related("plan", "member")
        .order_by("-effective_from")
    )
    return next((c for c in candidates if c.in_force_on(today)), None)


def servicing_provider(prefetch: dict) -> Provider:
    npis = practitioner_npis(prefetch)
    known = Provider.objects.filter(npi__in=npis).order_by("npi").first() if npis else None
    # An ordering clinician we do not know is treated as out of network: the rules then answer
    # as they would for the request intake would receive.
    return known or Provider(npi="", name="Unknown", network_status=Provider.Network.OUT)


def _draft(order: Order, categories: dict, *, coverage=None, provider=None):
    """The unsaved CareRequest and ServiceLines intake would hold for this order."""
    fallback = categories.get("other") or next(iter(categories.values()), None)
    today: date = timezone.localdate()
    lines = [
        ServiceLine(
            id=uuid.uuid4(),
            sequence=seq,
            code_system=system,
            code=code,
            category=categories.get(category_for_code(system, code)) or fallback,
            start_date=today,
            end_date=today,
            place_of_service="11",
        )
        for seq, (system, code) in enumerate(order.codes, start=1)
    ]
    first = lines[0].category.code if lines[0].category else ""
    case = CareRequest(
        coverage=coverage,
        member=coverage.member if coverage else None,
        servicing_provider=provider,
        requesting_provider=provider,
        request_type=CareRequest.RequestType.PROSPECTIVE,
        review_setting=SETTINGS.get(first, CareRequest.ReviewSetting.OUTPATIENT),
    )
    return case, lines


def questionnaire_ids_for_orders(orders: list[Order]) -> list[str]:
    """The DTR questionnaires for these orders, whatever the plan (for $questionnaire-package)."""
    categories = {c.code: c for c in ServiceCategory.objects.all()}
    ids = []
    for order in orders:
        if order.codes:
            case, lines = _draft(order, categories)
            rules = engine.checklist_rules_for(case, lines)
            ids += questionnaires.ids_for(lines=lines, checklist_rules=rules)
    return list(dict.fromkeys(ids))


def assess(*, orders: list[Order], coverage: Coverage, provider: Provider) -> list[Assessment]:
    """Needs assessment and checklist for each order, as intake would at receipt."""
    categories = {c.code: c for c in ServiceCategory.objects.all()}
    results = []
    for order in orders:
        result = Assessment(order=order)
        results.append(result)
        if not order.codes:
            # No CPT/HCPCS code we can read: say so, never "not required".
            result.unknown_code = True
            result.pa_needed = "conditional"
            continue
        case, lines = _draft(order, categories, coverage=coverage, provider=provider)
        needs = engine.assess_needs(case, lines)
        if not any(n.requires_auth for n in needs):
            result.pa_needed = "no-auth"
            continue
        rules = engine.checklist_rules_for(case, lines)
        result.documents = list(dict.fromkeys(r.description for r in rules if r.required))
        result.questionnaires = questionnaires.ids_for(lines=lines, checklist_rules=rules)
        if result.documents or result.questionnaires:
            result.doc_needed = "clinical"
    return results
