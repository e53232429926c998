"""Service codes for requests that arrive without a category: the portal's code search, the
REST API and FHIR PAS all need the same answer to "which service category is this code?".

Descriptions here are our own plain words; CPT descriptors are licensed by the AMA and never
shipped (see um_portal.lib.codes).
"""

from dataclasses import dataclass
from functools import lru_cache

from um_portal.lib.codes import (
    X12_SERVICE_TYPES,
    CodeSystem,
    icd10_code_set,
    service_code_error,
)


@dataclass(frozen=True)
class CatalogService:
    code_system: str
    code: str
    description: str
    category: str

    @property
    def system_label(self) -> str:
        return SYSTEM_LABELS.get(self.code_system, self.code_system)


SYSTEM_LABELS = {
    CodeSystem.CPT: "CPT",
    CodeSystem.HCPCS: "HCPCS",
    CodeSystem.X12_SERVICE_TYPE: "X12 service type",
    CodeSystem.REVENUE: "Revenue code",
}

# Common prior-authorization services, for the portal's code search.
CATALOG = [
    CatalogService(CodeSystem.CPT, "72148", "MRI of the lower back", "imaging"),
    CatalogService(CodeSystem.CPT, "72141", "MRI of the neck", "imaging"),
    CatalogService(CodeSystem.CPT, "73721", "MRI of the knee", "imaging"),
    CatalogService(
        CodeSystem.CPT, "70553", "MRI of the brain with and without contrast", "imaging"
    ),
    CatalogService(CodeSystem.CPT, "74177", "CT of abdomen and pelvis with contrast", "imaging"),
    CatalogService(CodeSystem.CPT, "78452", "Nuclear heart perfusion study", "imaging"),
    CatalogService(CodeSystem.CPT, "29881", "Knee arthroscopy with meniscus repair", "surgery"),
    CatalogService(CodeSystem.CPT, "27447", "Total knee replacement", "surgery"),
    CatalogService(CodeSystem.CPT, "27130", "Total hip replacement", "surgery"),
    CatalogService(CodeSystem.CPT, "63030", "Lower back disc surgery", "surgery"),
    CatalogService(CodeSystem.CPT, "97110", "Therapeutic exercise sessions", "therapy"),
    CatalogService(CodeSystem.CPT, "97161", "Physical therapy evaluation", "therapy"),
    CatalogService(
        CodeSystem.CPT, "90837", "Individual psychotherapy, 60 minutes", "behavioral-health"
    ),
    CatalogService(CodeSystem.CPT, "99214", "Office visit, established patient", "office-visit"),
    CatalogService(CodeSystem.CPT, "80053", "Metabolic blood panel", "lab"),
    CatalogService(CodeSystem.HCPCS, "E1390", "Home oxygen concentrator", "dme"),
    CatalogService(CodeSystem.HCPCS, "E0601", "CPAP machine for sleep apnoea", "dme"),
    CatalogService(CodeSystem.HCPCS, "E0260", "Semi-electric hospital bed", "dme"),
    CatalogService(CodeSystem.HCPCS, "K0823", "Power wheelchair", "dme"),
    CatalogService(CodeSystem.HCPCS, "G0151", "Home physical therapy visit", "home-health"),
    CatalogService(CodeSystem.HCPCS, "G0299", "Home skilled nursing visit", "home-health"),
    CatalogService(CodeSystem.REVENUE, "0120", "Inpatient stay, semi-private room", "inpatient"),
    *[
        CatalogService(CodeSystem.X12_SERVICE_TYPE, code, label, "")
        for code, label in X12_SERVICE_TYPES.items()
    ],
]

X12_CATEGORIES = {
    "1": "office-visit",
    "2": "surgery",
    "3": "consultation",
    "4": "imaging",
    "5": "lab",
    "6": "therapy",
    "12": "dme",
    "18": "dme",
    "33": "therapy",
    "42": "home-health",
    "45": "home-health",
    "48": "inpatient",
    "50": "surgery",
    "56": "office-visit",
    "62": "imaging",
    "73": "imaging",
    "A4": "behavioral-health",
    "A6": "behavioral-health",
    "A8": "behavioral-health",
    "AD": "therapy",
    "AE": "therapy",
    "AF": "therapy",
    "AG": "inpatient",
    "BV": "office-visit",
    "MH": "behavioral-health",
    "UC": "office-visit",
}

# CPT Category I ranges (the AMA's published section boundaries).
CPT_RANGES = [
    (10004, 69990, "surgery"),
    (70010, 79999, "imaging"),
    (80047, 89398, "lab"),
    (90785, 90899, "behavioral-health"),
    (97010, 97799, "therapy"),
    (99202, 99215, "office-visit"),
    (99241, 99255, "consultation"),
    (99221, 99239, "inpatient"),
]
HCPCS_CATEGORIES = {"E": "dme", "K": "dme", "L": "dme", "B": "dme"}
HOME_HEALTH_HCPCS = {
    "G0151",
    "G0152",
    "G0153",
    "G0155",
    "G0156",
    "G0157",
    "G0158",
    "G0299",
    "G0300",
}


_DESCRIPTIONS = {(entry.code_system, entry.code): entry.description for entry in CATALOG}


def catalog_description(code_system: str, code: str) -> str:
    """Our plain-language description of a service code, from the catalogue the portal's code
    search offers; "" for a code it does not hold. The one source of code → description for
    every entry point (intake, portal, REST API, FHIR PAS) and for lines stored without one."""
    return _DESCRIPTIONS.get((code_system, (code or "").strip().upper()), "")


def category_for_code(code_system: str, code: str) -> str:
    """The service category code for a service code; "" when we cannot tell."""
    code = (code or "").strip().upper()
    if service_code_error(code_system, code):
        return ""
    for entry in CATALOG:
        if entry.code_system == code_system and entry.code == code and entry.category:
            return entry.category
    if code_system == CodeSystem.X12_SERVICE_TYPE:
        return X12_CATEGORIES.get(code, "")
    if code_system == CodeSystem.CPT and code[:5].isdigit():
        number = int(code[:5])
        for low, high, category in CPT_RANGES:
            if low <= number <= high:
                return category
        return ""
    if code_system == CodeSystem.HCPCS:
        if code in HOME_HEALTH_HCPCS:
            return "home-health"
        return HCPCS_CATEGORIES.get(code[0], "")
    if code_system == CodeSystem.REVENUE:
        return "inpatient" if code.startswith(("01", "02")) else ""
    return ""


def service_search(query: str, *, limit: int = 15) -> list[CatalogService]:
    """Catalog services whose code starts with the query, or whose code and description hold
    every word of it in any order ("knee mri" finds "MRI of the knee")."""
    q = (query or "").strip().lower()
    if not q:
        return []
    words = q.split()
    hits = [
        s
        for s in CATALOG
        if s.code.lower().startswith(q)
        or all(w in f"{s.code} {s.description}".lower() for w in words)
    ]
    return hits[:limit]


@lru_cache(maxsize=1)
def _billable_icd10() -> tuple[tuple[str, str], ...]:
    icd = icd10_code_set()
    return tuple(
        (code, icd.get_description(code))
        for code in icd.get_all_codes(with_dots=True)
        if icd.is_leaf(code)
    )


def diagnosis_search(query: str, *, limit: int = 15) -> list[tuple[str, str]]:
    """Billable ICD-10-CM codes whose code starts with the query or whose description has
    every word of it."""
    q = (query or "").strip()
    if len(q) < 2:
        return []
    code_q = q.upper().replace(" ", "")
    words = q.lower().split()
    out = []
    for code, description in _billable_icd10():
        by_code = code.startswith(code_q) or code.replace(".", "").startswith(code_q)
        if by_code or all(w in description.lower() for w in words):
            out.append((code, description))
        if len(out) >= limit:
            break
    return out
