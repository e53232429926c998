"""Read what a PAS Claim asks for into plain data (no database here)."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from um_portal.lib.codes import CodeSystem, icd10_error, normalize_icd10, service_code_error
from um_portal.lib.npi import is_valid_npi

from .errors import Issue, PasError, fail
from .parsing import ParsedBundle

NPI_SYSTEM = "http://hl7.org/fhir/sid/us-npi"
ICD10CM_SYSTEMS = {"http://hl7.org/fhir/sid/icd-10-cm", "http://hl7.org/fhir/sid/icd-10"}
SERVICE_SYSTEMS = {
    "http://www.ama-assn.org/go/cpt": CodeSystem.CPT,
    "https://bluebutton.cms.gov/resources/codesystem/hcpcs": CodeSystem.HCPCS,
    "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets": CodeSystem.HCPCS,
    "urn:oid:2.16.840.1.113883.6.285": CodeSystem.HCPCS,
    "http://codesystem.x12.org/005010/1365": CodeSystem.X12_SERVICE_TYPE,
    "https://codesystem.x12.org/005010/1365": CodeSystem.X12_SERVICE_TYPE,
    "https://www.nubc.org/CodeSystem/RevenueCodes": CodeSystem.REVENUE,
    "http://www.nubc.org/CodeSystem/RevenueCodes": CodeSystem.REVENUE,
}
EXPEDITED_PRIORITIES = {"stat", "urgent"}
SEXES = {"female": "F", "male": "M"}
# Dates a PAS item may omit (e.g. a referral): the request covers this many days from receipt.
DEFAULT_SERVICE_DAYS = 30


@dataclass
class PartyData:
    resource_type: str
    name: str
    npi: str
    state: str = ""
    expression: str = ""
    npi_valid: bool = True


@dataclass
class ItemData:
    sequence: int
    code_system: str
    code: str
    units: int
    start_date: date
    end_date: date
    place_of_service: str = ""
    modifiers: str = ""


@dataclass
class PasRequest:
    identifier_system: str
    identifier_value: str
    member_ids: list[str]
    family: str
    given: str
    birth_date: date | None
    requester: PartyData
    servicing: PartyData | None
    items: list[ItemData]
    diagnoses: list[str]
    expedited: bool
    patient_url: str = ""
    insurer_url: str = ""
    requester_url: str = ""
    claim_id: str = ""
    claim_type: dict = field(default_factory=dict)
    sex: str = "U"
    # Names that may identify our plan: the insurer's and payors' names, Coverage.class values.
    plan_names: list[str] = field(default_factory=list)
    request_type: str = "prospective"
    # "admission" / "extension" for an admission-review Claim (admission_review_of), else "".
    admission_review: str = ""


def _item_codes(item, suffix: str) -> set[str]:
    return {
        (c.code or "").strip().upper()
        for ext in item.extension or []
        if (ext.url or "").endswith(suffix)
        for c in _codings(ext.valueCodeableConcept)
    }


# X12 UM01 request category "AR" (admission review) and UM02 certification type "4" (extension).
ADMISSION_REVIEW = "AR"
EXTENSION_CERTIFICATION = "4"


def admission_review_of(claim) -> str:
    """ "extension" when an item asks for more days of a stay (admission review, certification
    type 4), "admission" for another admission-review item, "" for any other request."""
    kind = ""
    for item in claim.item or []:
        if ADMISSION_REVIEW not in _item_codes(item, "/extension-serviceItemRequestType"):
            continue
        certification = _item_codes(item, "/extension-certificationType")
        if EXTENSION_CERTIFICATION in certification:
            return "extension"
        kind = "admission"
    return kind


def review_type_for(claim, items: list[ItemData], today: date) -> str:
    """The kind of review a PAS Claim asks for (issue 13). PAS has no retrospective flag
    (Claim.use is fixed to preauthorization): a Claim whose every item was given before today
    is received as a retrospective, post-service review. Past and future items together cannot
    be one kind of review, except in a stay: a continued-stay request (admission review,
    certification type 4), and an admission review whose days began and run on, are concurrent
    (portal.fhir.concurrent links them to the stay, or opens it)."""
    admission = admission_review_of(claim)
    if admission == "extension" or (
        admission and items and all(it.start_date <= today <= it.end_date for it in items)
    ):
        return "concurrent"
    past = [it for it in items if it.start_date < today and it.end_date <= today]
    if items and len(past) == len(items):
        return "retrospective"
    if past:
        raise fail(
            "business-rule",
            "Some items were given before today and others are to come. PAS has no "
            "retrospective flag: send the services already given in their own Claim (received "
            "as a retrospective review) and the ones to come in another.",
            "Claim.item",
            status=422,
        )
    return "prospective"


def _codings(concept) -> list:
    return list(getattr(concept, "coding", None) or []) if concept is not None else []


def _name(resource) -> tuple[str, str]:
    names = getattr(resource, "name", None)
    if isinstance(names, str):
        return names, ""
    if names:
        first = names[0]
        return (first.family or "", " ".join(first.given or []))
    return "", ""


def party(resource, expression: str) -> PartyData:
    """A provider (Practitioner, Organization or PractitionerRole's practitioner) and its NPI.

    An NPI that fails the CMS check digit does not reject the request (real submitters and the
    PAS examples send such test NPIs): the party is flagged `npi_valid=False`, the response
    carries a warning and intake verifies the provider. No NPI at all, or a value that cannot be
    one (more than 10 characters), is an error."""
    npis = [
        (ident.value or "").strip()
        for ident in (getattr(resource, "identifier", None) or [])
        if ident.system == NPI_SYSTEM and (ident.value or "").strip()
    ]
    if not npis:
        raise fail("required", f"{expression} has no NPI identifier ({NPI_SYSTEM}).", expression)
    npi = npis[0]
    if len(npi) > 10:
        raise fail(
            "invalid",
            f"{expression}: {npi} is not an NPI (at most 10 digits).",
            f"{expression}.identifier",
        )
    family, given = _name(resource)
    name = family if resource.get_resource_type() == "Organization" else f"{given} {family}"
    addresses = getattr(resource, "address", None) or []
    state = (addresses[0].state or "")[:2] if addresses else ""
    return PartyData(
        resource_type=resource.get_resource_type(),
        name=name.strip() or f"NPI {npi}",
        npi=npi,
        state=state,
        expression=expression,
        npi_valid=is_valid_npi(npi),
    )


def _item_dates(item, requested, today: date) -> tuple[date, date]:
    for source in (item, requested):
        if source is None:
            continue
        single = getattr(source, "servicedDate", None) or getattr(
            source, "occurrenceDateTime", None
        )
        period = getattr(source, "servicedPeriod", None) or getattr(
            source, "occurrencePeriod", None
        )
        if single is not None:
            day = (
                single
                if isinstance(single, date) and not hasattr(single, "hour")
                else single.date()
            )
            return day, day
        if period is not None and period.start is not None:
            start = period.start.date() if hasattr(period.start, "hour") else period.start
            end = period.end or period.start
            end = end.date() if hasattr(end, "hour") else end
            return start, end
    return today, today + timedelta(days=DEFAULT_SERVICE_DAYS)


def _units(item, requested) -> int:
    for quantity in (
        getattr(item, "quantity", None),
        getattr(requested, "quantityQuantity", None) if requested is not None else None,
        getattr(requested, "quantity", None) if requested is not None else None,
    ):
        if quantity is not None and quantity.value is not None:
            return max(1, int(quantity.value))
    return 1


def _requested_service(parsed: ParsedBundle, item, expression: str):
    for ext in item.extension or []:
        if ext.url.endswith("/extension-requestedService") and ext.valueReference is not None:
            return parsed.resolve(ext.valueReference, f"{expression}.extension:requestedService")
    return None


def read_items(parsed: ParsedBundle) -> list[ItemData]:
    claim = parsed.claim
    if not claim.item:
        raise fail(
            "required", "The Claim has no item: say what service is requested.", "Claim.item"
        )
    today = timezone.localdate()
    issues, items, seen = [], [], set()
    for i, item in enumerate(claim.item):
        expr = f"Claim.item[{i}]"
        if item.sequence in seen:
            issues.append(Issue("invalid", f"{expr}.sequence {item.sequence} is repeated.", [expr]))
            continue
        seen.add(item.sequence)
        requested = _requested_service(parsed, item, expr)
        known = [
            (SERVICE_SYSTEMS[c.system], (c.code or "").strip().upper())
            for c in _codings(item.productOrService)
            if c.system in SERVICE_SYSTEMS
        ]
        if not known:
            systems = ", ".join(c.system or "none" for c in _codings(item.productOrService))
            issues.append(
                Issue(
                    "code-invalid",
                    f"{expr}.productOrService has no CPT, HCPCS, X12 service type or revenue "
                    f"code (systems given: {systems or 'none'}).",
                    [f"{expr}.productOrService"],
                )
            )
            continue
        system, code = known[0]
        error = service_code_error(system, code)
        if error:
            issues.append(
                Issue(
                    "code-invalid",
                    f"{expr}.productOrService: {error}",
                    [f"{expr}.productOrService"],
                )
            )
            continue
        start, end = _item_dates(item, requested, today)
        pos = next(
            (c.code for c in _codings(item.locationCodeableConcept) if (c.code or "").isdigit()),
            "",
        )
        modifiers = ",".join(c.code for m in (item.modifier or []) for c in _codings(m) if c.code)
        items.append(
            ItemData(
                sequence=item.sequence,
                code_system=system,
                code=code,
                units=_units(item, requested),
                start_date=start,
                end_date=end,
                place_of_service=pos[:2] if len(pos) == 2 else "",
                modifiers=modifiers[:20],
            )
        )
    if issues:
        raise PasError(issues)
    return items


def read_diagnoses(claim) -> list[str]:
    issues, codes = [], []
    for i, diagnosis in enumerate(claim.diagnosis or []):
        expr = f"Claim.diagnosis[{i}].diagnosisCodeableConcept"
        icd = [
            c for c in _codings(diagnosis.diagnosisCodeableConcept) if c.system in ICD10CM_SYSTEMS
        ]
        if not icd:
            issues.append(Issue("code-invalid", f"{expr} has no ICD-10-CM code.", [expr]))
            continue
        error = icd10_error(icd[0].code or "")
        if error:
            issues.append(Issue("code-invalid", f"{expr}: {error}", [expr]))
            continue
        codes.append(normalize_icd10(icd[0].code))
    if issues:
        raise PasError(issues)
    if not codes:
        raise fail("required", "The Claim has no ICD-10-CM diagnosis.", "Claim.diagnosis")
    return codes


def read_request(parsed: ParsedBundle) -> PasRequest:
    """Everything the intake services need from the Claim; PasError when it is incomplete."""
    claim = parsed.claim
    if claim.use != "preauthorization":
        raise fail("invalid", f"Claim.use must be preauthorization, not {claim.use}.", "Claim.use")
    identifiers = [i for i in (claim.identifier or []) if i.value]
    if not identifiers:
        raise fail(
            "required",
            "Claim.identifier is required: it identifies the request for $inquire and "
            "resubmission.",
            "Claim.identifier",
        )
    patient = parsed.resolve(claim.patient, "Claim.patient", "Patient")
    insurer = parsed.resolve(claim.insurer, "Claim.insurer", "Organization")
    requester_resource = parsed.resolve(
        claim.provider, "Claim.provider", "Organization", "Practitioner", "PractitionerRole"
    )
    requester_resource = _practitioner_of(parsed, requester_resource, "Claim.provider")
    focal = [ins for ins in claim.insurance or [] if ins.focal] or list(claim.insurance or [])
    if not focal:
        raise fail(
            "required", "Claim.insurance must name the member's coverage.", "Claim.insurance"
        )
    coverage = parsed.resolve(focal[0].coverage, "Claim.insurance.coverage", "Coverage")
    member_ids = [coverage.subscriberId] if coverage.subscriberId else []
    member_ids += [i.value for i in coverage.identifier or [] if i.value]
    member_ids += [i.value for i in patient.identifier or [] if i.value]
    if not member_ids:
        raise fail(
            "required",
            "No member ID: give Coverage.subscriberId, Coverage.identifier or Patient.identifier.",
            "Coverage.subscriberId",
        )
    # Gather every problem with the parties, items and diagnoses, so the submitter can fix
    # them all in one round.
    issues: list[Issue] = []

    def collect(read, *args):
        try:
            return read(*args)
        except PasError as exc:
            issues.extend(exc.issues)
            return None

    requester = collect(party, requester_resource, "Claim.provider")
    servicing = None
    for i, member in enumerate(claim.careTeam or []):
        expr = f"Claim.careTeam[{i}].provider"
        resource = parsed.resolve(
            member.provider, expr, "Practitioner", "Organization", "PractitionerRole"
        )
        servicing = collect(party, _practitioner_of(parsed, resource, expr), expr)
        break
    items = collect(read_items, parsed)
    diagnoses = collect(read_diagnoses, claim)
    if issues:
        raise PasError(issues)
    request_type = review_type_for(claim, items, timezone.localdate())
    family, given = _name(patient)
    plan_names = [getattr(insurer, "name", None) or ""]
    for i, payor in enumerate(coverage.payor or []):
        resource = parsed.resolve(payor, f"Coverage.payor[{i}]")
        if resource.get_resource_type() == "Organization":
            plan_names.append(resource.name or "")
    plan_names += [c.value or "" for c in coverage.class_fhir or []] + [
        c.name or "" for c in coverage.class_fhir or []
    ]
    priority_codes = {(c.code or "").lower() for c in _codings(claim.priority)}
    return PasRequest(
        identifier_system=identifiers[0].system or "",
        identifier_value=identifiers[0].value,
        member_ids=list(dict.fromkeys(m.strip().upper() for m in member_ids if m.strip())),
        family=family,
        given=given,
        birth_date=patient.birthDate,
        requester=requester,
        servicing=servicing,
        items=items,
        diagnoses=diagnoses,
        expedited=bool(priority_codes & EXPEDITED_PRIORITIES),
        patient_url=parsed.full_url_of(patient),
        insurer_url=parsed.full_url_of(insurer),
        requester_url=parsed.full_url_of(requester_resource),
        claim_id=claim.id or "",
        claim_type=claim.type.model_dump(mode="json", exclude_none=True) if claim.type else {},
        sex=SEXES.get(patient.gender or "", "U"),
        plan_names=list(dict.fromkeys(n.strip() for n in plan_names if n and n.strip())),
        request_type=request_type,
        admission_review=admission_review_of(claim),
    )


def _practitioner_of(parsed: ParsedBundle, resource, expression: str):
    """A PractitionerRole identifies its practitioner; NPIs live on the Practitioner."""
    if resource.get_resource_type() != "PractitionerRole":
        return resource
    if resource.identifier and any(i.system == NPI_SYSTEM for i in resource.identifier):
        return resource
    return parsed.resolve(resource.practitioner, f"{expression}.practitioner", "Practitioner")
