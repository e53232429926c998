"""A second, closer look at the fields that matter most (member ID, NPIs, service codes, ICD-10
codes) once the form reader has found where they are.

The page-wide OCR reads everything with one model and no idea what a box should hold, so a
1-bit fax's "J" comes back as "1" and a 0 as "O". Here each doubtful value's own region is read
again: cropped, upscaled to ~300 dpi, with only the characters that field may contain. A re-read
replaces the first reading only when it passes the field's format check and the first did not,
or when it is the surer of two readings; the checks against records come after, in validation.
"""

import re

from um_portal.lib.codes import CPT_RE, HCPCS_RE
from um_portal.lib.npi import is_valid_npi

from . import ocr
from .layout import LOW_CONFIDENCE, Candidate, Page, _candidate, group_lines
from .ocr import Word
from .parsers import ICD_LIKE, ICD_RE, fix_icd, fix_service_code, parse_member_id, parse_npi

MEMBER_ID_RE = re.compile(r"^[A-Z]{0,4}\d{5,15}$")
# A diagnosis code as OCR may leave it: its letter lost ("47.33" for G47.33) or misread.
CODE_SHAPED = re.compile(r"\w{2,3}[.,:]\w{1,4}")


def _icd_ok(code: str) -> bool:
    from um_portal.lib.codes import icd10_error

    return bool(ICD_RE.match(code)) and icd10_error(code) is None


def _service_ok(code: str) -> bool:
    return bool(CPT_RE.match(code) or HCPCS_RE.match(code))


def _member_id(text: str) -> str:
    return parse_member_id([Word(text.replace(" ", ""), 0, 0, 0, 0, 0)])


def _npi(text: str) -> str:
    return parse_npi([Word(text.replace(" ", ""), 0, 0, 0, 0, 0)])[0]


def _icd(text: str) -> str:
    for piece in ICD_LIKE.findall(text.upper()):
        code = fix_icd(piece)
        if _icd_ok(code):
            return code
    return ""


# field kind: (whitelist, parse the re-read text, is the value well-formed)
KINDS = {
    "member_id": ("member_id", _member_id, lambda v: bool(MEMBER_ID_RE.match(v))),
    "npi": ("digits", _npi, is_valid_npi),
    "service_code": ("service_code", fix_service_code, _service_ok),
    "icd": ("icd", _icd, _icd_ok),
}


def kind_of(name: str) -> str | None:
    if name == "member_id":
        return "member_id"
    if name.endswith("_npi"):
        return "npi"
    if name.startswith("service_") and name.endswith("_code"):
        return "service_code"
    if name.startswith("diagnosis_"):
        return "icd"
    return None


def _box(candidate: Candidate, page: Page) -> tuple[int, int, int, int]:
    width, height = page.image.size
    x0, y0, x1, y1 = candidate.bbox
    # A little room around the words: the first reading's box often clips a glyph's edge.
    pad_y = max(4, round((y1 - y0) * height * 0.35))
    return (
        round(x0 * width) - 12,
        round(y0 * height) - pad_y,
        round(x1 * width) + 12,
        round(y1 * height) + pad_y,
    )


def refine(candidate: Candidate, page: Page) -> Candidate:
    """The candidate, or a better reading of it from its own region."""
    kind = kind_of(candidate.name)
    if kind is None or not candidate.bbox:
        return candidate
    whitelist, parse, ok = KINDS[kind]
    first_ok = ok(candidate.value)
    sure = first_ok and candidate.confidence >= LOW_CONFIDENCE
    if sure and kind != "service_code":
        return candidate  # nothing to doubt: no second Tesseract run
    # A service code is always read twice: a 1-bit fax turns one digit into another with
    # Tesseract still sure of it (70553 read 79553 at 92), and a code has no check digit to
    # catch that. Two readings that disagree go to a person (validation).
    reread = ocr.ocr_field(page.image, _box(candidate, page), whitelist)
    if reread is None:
        return candidate
    value, confidence = parse(reread[0]), reread[1]
    if not ok(value):
        return candidate
    if value == candidate.value:
        # Two independent readings agree: surer than either.
        candidate.confidence = max(candidate.confidence, confidence)
        return candidate
    if not sure and (not first_ok or confidence > candidate.confidence):
        if first_ok:
            candidate.alternatives.append(candidate.value)
        candidate.value = value
        candidate.confidence = confidence
    else:
        candidate.alternatives.append(value)
    return candidate


def refine_all(candidates: list[Candidate], pages: list[Page]) -> list[Candidate]:
    by_number = {p.number: p for p in pages}
    out = [
        refine(c, by_number[c.page]) if c.page in by_number and c.bbox else c for c in candidates
    ]
    for candidate in out:
        if candidate.inferred:  # two readings agreeing do not make an inference sure
            candidate.infer()
    return out


def diagnoses_from_region(page: Page, region, found: list[Candidate]) -> list[Candidate]:
    """The diagnosis section read again as a whole with the ICD-10 whitelist: sparse page OCR
    drops a short code now and then (a code read as part of a rule, a comma-joined pair), and
    a dropped first code shifts every later one. The re-read wins only when it finds every code
    the first reading found, and more."""
    box = (int(region.left), int(region.top), int(region.right), int(region.bottom))
    if box[2] - box[0] < 20 or box[3] - box[1] < 10:
        return found
    # Only when the first reading saw more code-shaped words than it could use: the re-read
    # costs a Tesseract run, and a clean reading gains nothing from it.
    shaped = sum(
        sum(1 for m in CODE_SHAPED.findall(w.text) if sum(ch.isdigit() for ch in m) >= 2)
        for line in page.lines
        for w in line.words
        if region.left <= w.cx <= region.right and region.top <= w.cy <= region.bottom
    )
    if shaped <= len(found):
        return found
    # In reading order by position (Tesseract's block numbers do not follow the page).
    lines = group_lines(ocr.ocr_region_words(page.image, box, "icd"))
    codes: list[Candidate] = []
    for word in (w for line in lines for w in line.words):
        for piece in ICD_LIKE.findall(word.text.upper().replace(",", " ")):
            code = fix_icd(piece)
            if _icd_ok(code) and code not in {c.value for c in codes}:
                codes.append(_candidate(f"diagnosis_{len(codes) + 1}", [word], page, value=code))
    if len(codes) > len(found) and {c.value for c in found} <= {c.value for c in codes}:
        found = codes
    if shaped > len(found):
        # A code is still missing: the ones read may sit one place off, so a person checks the
        # list against the page rather than trusting any of it.
        for candidate in found:
            candidate.infer()
    return found
