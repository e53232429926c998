"""Checking what was read with the project's own rules (NPI check digit, the CDC ICD-10-CM set,
CPT/HCPCS format, dates) and against our records (member by ID and birth date, or name and birth
date; providers by NPI). A value that fails is kept, marked, and must be corrected by a person.
"""

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date

from um_portal.lib.codes import CPT_RE, HCPCS_RE, icd10_error, service_code_error
from um_portal.lib.npi import is_valid_npi

from .layout import LOW_CONFIDENCE, Candidate

PHONE_OK = re.compile(r"^\(\d{3}\) \d{3}-\d{4}$")


@dataclass(frozen=True)
class Records:
    """How validation asks about our records; the service passes database look-ups, the
    benchmark in-memory ones."""

    member_by_id_and_dob: Callable[[str, date], bool]
    member_by_name_and_dob: Callable[[str, date], bool]
    provider_name_by_npi: Callable[[str], str | None]
    # Of these CPT/HCPCS codes, the ones the plan knows (its service catalogue and the codes its
    # rules name). A well-formed code is not enough: a misread digit gives another well-formed
    # code. None: no code list to check against (shape only).
    known_service_codes: Callable[[Collection[str]], set[str]] | None = None


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def code_system_of(code: str) -> str:
    return "hcpcs" if HCPCS_RE.match(code) else "cpt"


def check(
    candidate: Candidate,
    values: dict[str, str],
    records: Records | None,
    received_on: date | None = None,
) -> str:
    """Why the value cannot be accepted as read, or "" when it can. `received_on`: the day the
    fax arrived, which service dates are read against."""
    name, value = candidate.name, candidate.value
    if name.endswith("_npi"):
        if not is_valid_npi(value):
            return f"{value or 'Nothing'} is not a valid NPI (10 digits with a check digit)."
        if records is not None and records.provider_name_by_npi(value) is None:
            return f"No provider with NPI {value} is on file."
        return _npi_beside_name_error(value, values.get(name.replace("_npi", "_name"), ""), records)
    if name.startswith("diagnosis_"):
        return icd10_error(value) or ""
    if name.startswith("service_") and name.endswith("_code"):
        if not _service_shaped(value):
            return f"{value} is not a CPT or HCPCS code."
        if error := service_code_error(code_system_of(value), value):
            return error
        if (
            records is not None
            and records.known_service_codes is not None
            and not records.known_service_codes([value])
        ):
            return f"{value} is not in the plan's service catalogue: check it on the page."
        if others := [a for a in candidate.alternatives if a != value]:
            return f"Also read as {others[0]}: check the code on the page."
        return ""
    if name.startswith("service_") and name.endswith("_units"):
        if not (value.isdigit() and 0 < int(value) < 1000):
            return f"{value} is not a number of units."
        if others := [a for a in candidate.alternatives if a != value]:
            seen = f"Also read as {others[0]}" if others[0] else "The cell alone shows no number"
            return f"{seen}: check the units on the page."
        return ""
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
        if name.startswith("service_") and received_on is not None:
            return _service_date_error(parsed, received_on)
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
    if name in PROVIDER_NAMES:
        npi = values.get(name.replace("_name", "_npi"), "")
        return _provider_name_error(value, npi, records, from_image=bool(candidate.bbox))
    if name == "clinical_reason" and candidate.bbox:
        # Free text read from the page image has no check to fail: a misread word
        # ("borie-on-bone") or a lost last line reads as sure as the rest, so a person always
        # compares it with the page. (A fillable PDF's field has no region: it is exact.)
        return "Read from the page image, with nothing to check it by: compare it with the fax."
    if name in ("contact_phone", "contact_fax"):
        return "" if PHONE_OK.match(value) else f"{value} is not a phone number."
    if name in ("urgency", "setting"):
        return "" if candidate.confidence >= 60 else "The ticked box is unclear."
    return ""


# A request asks about services around the day it arrives. A date far from it is more often a
# misread digit (2026-12-09 read 2026-02-09, sure at 96 %) than a real date, and a real one (a
# late retrospective request) is worth a second look anyway.
DAYS_BEFORE_ARRIVAL = 31
DAYS_AFTER_ARRIVAL = 366


def _service_date_error(value: date, received_on: date) -> str:
    if (received_on - value).days > DAYS_BEFORE_ARRIVAL:
        return "More than a month before the fax arrived: check the date on the page."
    if (value - received_on).days > DAYS_AFTER_ARRIVAL:
        return "More than a year after the fax arrived: check the date on the page."
    return ""


# Titles and degrees a form may or may not print beside a provider's name.
NAME_TITLES = {"dr", "md", "do", "np", "pa", "rn", "phd", "dpm", "dds", "facs", "mr", "ms", "mrs"}


def _name_tokens(name: str) -> set[str]:
    return {t for t in re.findall(r"[a-z]+", name.lower()) if t not in NAME_TITLES and len(t) > 1}


PROVIDER_NAMES = ("requesting_name", "servicing_name")


def _on_file_name(npi: str, records: Records | None) -> str | None:
    if records is None or not is_valid_npi(npi):
        return None
    return records.provider_name_by_npi(npi)


def _use_name_on_file(
    candidate: Candidate, values: dict[str, str], records: Records | None
) -> None:
    """The name as our records spell it, when it is the same name word by word as the one read
    beside its NPI: the fax's punctuation ("Dr Thomas:Becker") is noise, the provider is the
    NPI's."""
    npi = values.get(candidate.name.replace("_name", "_npi"), "")
    on_file = _on_file_name(npi, records)
    if (
        on_file
        and on_file != candidate.value
        and _name_tokens(on_file) == _name_tokens(candidate.value)
    ):
        candidate.value = values[candidate.name] = on_file


def _provider_name_error(value: str, npi: str, records: Records | None, *, from_image: bool) -> str:
    """A provider's name is free text, so only two things give a misreading away: digits (the
    NPI printed beside it read into the name) and a name that is not the one on file for the
    NPI read with it (compared word by word, without titles and punctuation)."""
    if any(ch.isdigit() for ch in value):
        return "A name has no digits: check it on the page."
    on_file = _on_file_name(npi, records)
    if on_file and _name_tokens(on_file) != _name_tokens(value):
        return f"The NPI read beside it is {on_file}'s: check the name on the page."
    if from_image and records is not None and value and not on_file:
        # Read from the page image without a provider on file for the NPI beside it, nothing
        # confirms the name's reading ("R iverside Surgical Group" reads as sure as the right
        # one). A fillable PDF's field is exact.
        return "No NPI on file beside it to confirm the name: check it on the page."
    return ""


def _npi_beside_name_error(npi: str, name: str, records: Records | None) -> str:
    """A valid NPI on file can still be the wrong one: the other provider's NPI read into this
    row (the name beside it was right, the NPI is another provider's). When the name read
    beside it is not the NPI's provider, one of the two is wrong and the page must tell which,
    so both are flagged."""
    on_file = _on_file_name(npi, records)
    if not on_file or not name.strip() or any(ch.isdigit() for ch in name):
        return ""
    if _name_tokens(on_file) == _name_tokens(name):
        return ""
    return f"This NPI is {on_file}'s, not the name read beside it: check the NPI on the page."


# Characters a 1-bit fax and Tesseract confuse with each other, both ways.
LOOKALIKES = {
    "O": "0D",
    "0": "O8",
    "D": "0",
    "I": "1L",
    "1": "I7",
    "L": "1",
    "S": "5",
    "5": "S6",
    "B": "8",
    "8": "B036",
    "Z": "2",
    "2": "Z",
    "G": "6",
    "6": "G58",
    "7": "1",
    "3": "8",
    "9": "0",
}


def lookalike_variants(value: str, *, digits_only: bool = False, limit: int = 400) -> list[str]:
    """The value with any one, or any two, look-alike characters swapped (most OCR errors in a
    code are one or two glyphs)."""
    swaps = [
        (i, alt)
        for i, ch in enumerate(value)
        for alt in LOOKALIKES.get(ch, "")
        if not digits_only or alt.isdigit()
    ]
    out: list[str] = []
    for a, (i, alt) in enumerate(swaps):
        one = value[:i] + alt + value[i + 1 :]
        out.append(one)
        for j, alt2 in swaps[a + 1 :]:
            if j != i:
                out.append(one[:j] + alt2 + one[j + 1 :])
        if len(out) >= limit:
            break
    return list(dict.fromkeys(out))


def _service_shaped(code: str) -> bool:
    return bool(CPT_RE.match(code) or HCPCS_RE.match(code))


# A HCPCS code's letter is the glyph a fax loses most (J1745 read 41745 or 11745), so its first
# character may be any letter a HCPCS code starts with, or a digit.
FIRST_CHARACTERS = "ABCDEGHJKLMPQRSTV0123456789"


def service_code_variants(value: str) -> list[str]:
    """Codes one misread glyph (or two look-alikes) away from the value."""
    first = [ch + value[1:] for ch in FIRST_CHARACTERS if value and ch != value[0]]
    return [v for v in dict.fromkeys(first + lookalike_variants(value)) if _service_shaped(v)]


def _only(matches: list[str]) -> str | None:
    return matches[0] if len(matches) == 1 else None


def correct(candidate: Candidate, values: dict[str, str], records: Records | None) -> None:
    """Fix a value that fails its check when exactly one look-alike reading passes it.

    Against our records (a member ID with the birth date read beside it, an NPI on file) the
    corrected value is as good as a confirmed one. Against a code set alone (ICD-10-CM) another
    valid code may be what was meant, so the corrected code is kept but must be confirmed."""
    name, value = candidate.name, candidate.value
    if not value or not check(candidate, values, records):
        return
    found: str | None = None
    if name == "member_id" and records is not None:
        dob = _date(values.get("member_dob", ""))
        if dob is not None:
            found = _only(
                [
                    v
                    for v in lookalike_variants(value)
                    if re.fullmatch(r"[A-Z0-9]{5,20}", v) and records.member_by_id_and_dob(v, dob)
                ]
            )
    elif name.endswith("_npi") and records is not None and len(value) == 10:
        found = _only(
            [
                v
                for v in lookalike_variants(value, digits_only=True)
                if is_valid_npi(v) and records.provider_name_by_npi(v) is not None
            ]
        )
    elif name.startswith("diagnosis_"):
        head, rest = value[:1], value[1:]
        found = _only(
            [
                v
                for v in dict.fromkeys(
                    [head + r for r in lookalike_variants(rest)]
                    + [h + rest for h in LOOKALIKES.get(head, "") if h.isalpha()]
                )
                if icd10_error(v) is None
            ]
        )
        if found:
            candidate.confidence = min(candidate.confidence, LOW_CONFIDENCE - 1)
    elif (
        name.startswith("service_")
        and name.endswith("_code")
        and records is not None
        and records.known_service_codes is not None
        and not records.known_service_codes([value])
    ):
        # A code the plan does not know, one glyph away from exactly one code it does (or read
        # so by the second reading): that code is proposed, never accepted unconfirmed, since a
        # code the plan has not listed may still be what the provider wrote.
        options = [
            v
            for v in dict.fromkeys(
                [
                    *candidate.alternatives,
                    *service_code_variants(value),
                    *(v for a in candidate.alternatives for v in service_code_variants(a)),
                ]
            )
            if v != value
        ]
        found = _only(sorted(records.known_service_codes(options)))
        if found:
            candidate.alternatives = [value]
            candidate.infer()
    if found:
        candidate.value = found
        values[name] = found


def validate(
    candidates: list[Candidate], records: Records | None, received_on: date | None = None
) -> list[tuple[Candidate, str]]:
    values = {c.name: c.value for c in candidates}
    for candidate in candidates:
        correct(candidate, values, records)
    for candidate in candidates:
        if candidate.name in PROVIDER_NAMES:
            _use_name_on_file(candidate, values, records)
    return [(c, check(c, values, records, received_on)) for c in candidates]
