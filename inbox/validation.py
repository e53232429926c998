"""Checking what was read with the project's own rules (NPI check digit, the CDC ICD-10-CM set,
CPT/HCPCS format, dates) and against our records (member by ID and birth date, or name and birth
date; providers by NPI). A value that fails is kept, marked, and must be corrected by a person.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from um_portal.lib.codes import CPT_RE, HCPCS_RE, icd10_error, service_code_error
from um_portal.lib.npi import is_valid_npi

from .extraction import Candidate

PHONE_OK = re.compile(r"^\(\d{3}\) \d{3}-\d{4}$")


@dataclass(frozen=True)
class Records:
    """How validation asks about our records; the service passes database look-ups, the
    benchmark in-memory ones."""

    member_by_id_and_dob: Callable[[str, date], bool]
    member_by_name_and_dob: Callable[[str, date], bool]
    provider_name_by_npi: Callable[[str], str | None]


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def code_system_of(code: str) -> str:
    return "hcpcs" if HCPCS_RE.match(code) else "cpt"


def check(candidate: Candidate, values: dict[str, str], records: Records | None) -> str:
    """Why the value cannot be accepted as read, or "" when it can."""
    name, value = candidate.name, candidate.value
    if name.endswith("_npi"):
        if not is_valid_npi(value):
            return f"{value or 'Nothing'} is not a valid NPI (10 digits with a check digit)."
        if records is not None and records.provider_name_by_npi(value) is None:
            return f"No provider with NPI {value} is on file."
        return ""
    if name.startswith("diagnosis_"):
        return icd10_error(value) or ""
    if name.startswith("service_") and name.endswith("_code"):
        if not (CPT_RE.match(value) or HCPCS_RE.match(value)):
            return f"{value} is not a CPT or HCPCS code."
        return service_code_error(code_system_of(value), value) or ""
    if name.startswith("service_") and name.endswith("_units"):
        return (
            ""
            if value.isdigit() and 0 < int(value) < 1000
            else f"{value} is not a number of units."
        )
    if name == "member_dob" or name.startswith("service_") and name[-4:] in ("tart", "_end"):
        parsed = _date(value)
        if parsed is None:
            return f"{value or 'Nothing'} is not a date."
        if name == "member_dob" and not date(1900, 1, 1) <= parsed <= date.today():
            return "The date of birth is not a plausible date."
        if name.endswith("_end"):
            start = _date(values.get(name.replace("_end", "_start"), ""))
            if start and parsed < start:
                return "The end date is before the start date."
        return ""
    if name == "member_id":
        if not re.fullmatch(r"[A-Z0-9]{5,20}", value):
            return f"{value} does not look like a member ID."
        dob = _date(values.get("member_dob", ""))
        if records is not None:
            if dob and records.member_by_id_and_dob(value, dob):
                return ""
            return "No member has this member ID and date of birth."
        return ""
    if name == "member_name":
        dob = _date(values.get("member_dob", ""))
        if records is not None and not (dob and records.member_by_name_and_dob(value, dob)):
            return "No member has this name and date of birth."
        return ""
    if name in ("contact_phone", "contact_fax"):
        return "" if PHONE_OK.match(value) else f"{value} is not a phone number."
    if name in ("urgency", "setting"):
        return "" if candidate.confidence >= 60 else "The ticked box is unclear."
    return ""


def validate(candidates: list[Candidate], records: Records | None) -> list[tuple[Candidate, str]]:
    values = {c.name: c.value for c in candidates}
    return [(c, check(c, values, records)) for c in candidates]
