"""Code-set validation: ICD-10-CM (the CDC code set via simple-icd-10-cm), CPT/HCPCS by format,
X12 service types and revenue codes.

CPT descriptions are licensed by the AMA, so we never ship them; only our own plain-language
service descriptions are stored.
"""

import re
from functools import cache
from types import ModuleType

CPT_RE = re.compile(r"^\d{4}[0-9FTU]$")  # Category I (5 digits), II (F), III (T), PLA (U)
HCPCS_RE = re.compile(r"^[A-V]\d{4}$")
REVENUE_RE = re.compile(r"^0\d{3}$")
POS_RE = re.compile(r"^\d{2}$")

# X12 EB03 / 2000F UM03 service type codes (a subset in common use for prior authorization).
X12_SERVICE_TYPES: dict[str, str] = {
    "1": "Medical care",
    "2": "Surgical",
    "3": "Consultation",
    "4": "Diagnostic X-ray",
    "5": "Diagnostic lab",
    "6": "Radiation therapy",
    "12": "Durable medical equipment purchase",
    "18": "Durable medical equipment rental",
    "33": "Chiropractic",
    "42": "Home health care",
    "45": "Hospice",
    "48": "Hospital - inpatient",
    "50": "Hospital - outpatient",
    "56": "Medically related transportation",
    "62": "MRI/CAT scan",
    "73": "Diagnostic medical",
    "A4": "Psychiatric",
    "A6": "Psychotherapy",
    "A8": "Psychiatric - inpatient",
    "AD": "Occupational therapy",
    "AE": "Physical medicine",
    "AF": "Speech therapy",
    "AG": "Skilled nursing care",
    "BV": "Obstetrical/gynecological",
    "MH": "Mental health",
    "UC": "Urgent care",
}


@cache
def icd10_code_set() -> ModuleType:
    """The ICD-10-CM code set, loaded on first use: parsing the CDC files takes seconds, which
    every process start (web, worker, beat, manage.py) would otherwise pay."""
    import simple_icd_10_cm

    return simple_icd_10_cm


class CodeSystem:
    CPT = "cpt"
    HCPCS = "hcpcs"
    X12_SERVICE_TYPE = "x12_service_type"
    REVENUE = "revenue"


def normalize_icd10(code: str) -> str:
    """Upper-case ICD-10-CM code with its dot after the third character (M5416 -> M54.16)."""
    code = (code or "").strip().upper().replace(" ", "")
    if "." not in code and len(code) > 3:
        code = f"{code[:3]}.{code[3:]}"
    return code


def icd10_error(code: str) -> str | None:
    """Why a diagnosis code cannot be used on a request, or None when it can."""
    normalized = normalize_icd10(code)
    if not normalized:
        return "Enter an ICD-10-CM code."
    if not icd10_code_set().is_valid_item(normalized):
        return f"{normalized} is not an ICD-10-CM code."
    if not icd10_code_set().is_leaf(normalized):
        return f"{normalized} is a category; enter a billable code with all its characters."
    return None


def icd10_description(code: str) -> str:
    normalized = normalize_icd10(code)
    return (
        icd10_code_set().get_description(normalized)
        if icd10_code_set().is_valid_item(normalized)
        else ""
    )


def service_code_error(system: str, code: str) -> str | None:
    """Why a service code is not valid for its code system, or None."""
    code = (code or "").strip().upper()
    if not code:
        return "Enter a service code."
    if system == CodeSystem.CPT and not CPT_RE.match(code):
        return f"{code} is not a CPT code (five characters: four digits then a digit, F, T or U)."
    if system == CodeSystem.HCPCS and not HCPCS_RE.match(code):
        return f"{code} is not a HCPCS Level II code (a letter A–V and four digits)."
    if system == CodeSystem.X12_SERVICE_TYPE and code not in X12_SERVICE_TYPES:
        return f"{code} is not a supported X12 service type code."
    if system == CodeSystem.REVENUE and not REVENUE_RE.match(code):
        return f"{code} is not a revenue code (four digits starting with 0)."
    if system not in {
        CodeSystem.CPT,
        CodeSystem.HCPCS,
        CodeSystem.X12_SERVICE_TYPE,
        CodeSystem.REVENUE,
    }:
        return f"Unknown code system {system!r}."
    return None
