"""Reading a prior-authorization request form from OCR words, by its labels, not by coordinates.

Forms differ in layout (label left of the value, label above it in a box, a table of services),
so every field is found the way a person finds it: look for the label's words, then read what is
to its right on the same line, or in the box below it. Sections ("Requesting provider",
"Servicing provider", "Member") scope the repeated labels ("Name", "NPI", "Phone").

Everything here is pure: words and a page image in, candidate values out. Validation and record
matching are in validation.py.
"""

import difflib
import re
from dataclasses import dataclass, field

from PIL import Image

from um_portal.lib.npi import is_valid_npi

from .ocr import Word, ocr_digits
from .page_kinds import (  # noqa: F401 - part of this module's interface
    DOCUMENT_KIND_KEYWORDS,
    find_reference,
    form_score,
    page_kind,
    page_text,
    suggest_document_kind,
)

# Below this OCR confidence (0-100) a value must be confirmed by a person even when it validates.
LOW_CONFIDENCE = 90.0

# --- what a form calls things -------------------------------------------------------------------

SECTIONS: dict[str, list[str]] = {
    "member": [
        "member information",
        "patient information",
        "subscriber information",
        "enrollee information",
        "member / patient",
        "section i member",
    ],
    "requesting": [
        "requesting provider",
        "ordering provider",
        "referring provider",
        "requesting physician",
        "section ii requesting",
    ],
    "servicing": [
        "servicing provider",
        "rendering provider",
        "performing provider",
        "servicing facility",
        "section iii servicing",
    ],
    "services": [
        "services requested",
        "requested services",
        "service information",
        "planned service",
        "section iv services",
    ],
    "diagnosis": ["diagnosis", "diagnoses", "icd-10-cm codes", "icd-10 codes"],
    "clinical": [
        "clinical information",
        "clinical reason",
        "reason for request",
        "clinical rationale",
        "medical necessity",
    ],
    "contact": ["contact for this request", "office contact", "contact information"],
}

LABELS: dict[str, list[str]] = {
    "member_name": ["member name", "patient name", "enrollee name", "name"],
    "member_id": [
        "member id",
        "member id number",
        "subscriber id",
        "member #",
        "medicaid id",
        "plan id number",
        "id number",
        "member number",
    ],
    "member_dob": ["date of birth", "dob", "birth date", "member dob", "patient dob"],
    "provider_name": ["provider name", "physician name", "facility name", "name"],
    "provider_npi": ["npi", "npi #", "npi number", "provider npi"],
    "contact_phone": ["contact phone", "phone", "telephone", "phone number", "tel"],
    "contact_fax": ["contact fax", "fax", "fax number"],
    "setting": ["setting", "place of service", "service setting", "type of service"],
}
URGENCY_WORDS = {"expedited": ["expedited", "urgent"], "standard": ["standard", "routine"]}
SETTING_WORDS = {"inpatient": ["inpatient"], "outpatient": ["outpatient"]}

CODE_HEADERS = ["cpt/hcpcs", "cpt", "hcpcs", "procedure code", "code", "cpt/hcpcs code"]
UNITS_HEADERS = ["units", "qty", "quantity", "visits", "number of units"]
START_HEADERS = ["start date", "from", "start", "date of service", "from date", "begin"]
END_HEADERS = ["end date", "to", "end", "through", "to date"]

DATE_RE = re.compile(r"(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{2,4})")
PHONE_RE = re.compile(r"\(?(\d{3})\)?[\s.\-]*(\d{3})[\s.\-]*(\d{4})")
# The first character is a letter, but a fax turns Z into 2, S into 5 or $, O into 0 ...: such a
# code is read too, then fixed, then checked against the code set like any other.
ICD_LIKE = re.compile(r"[A-Z$0-9][0-9OISB]{2}[.,:][0-9A-Z]{1,4}")
ICD_RE = re.compile(r"^[A-TV-Z][0-9][0-9AB]\.[0-9A-TV-Z]{1,4}$")
SERVICE_CODE_RE = re.compile(r"^(\d{4}[0-9FTU]|[A-V]\d{4})$")
# OCR letters that are really digits, in fields that hold only digits.
DIGIT_FIXES = str.maketrans(
    {
        "O": "0",
        "o": "0",
        "D": "0",
        "Q": "0",
        "I": "1",
        "l": "1",
        "|": "1",
        "i": "1",
        "S": "5",
        "s": "5",
        "B": "8",
        "Z": "2",
        "z": "2",
        "G": "6",
        "g": "9",
        "q": "9",
        "T": "7",
    }
)


@dataclass
class Candidate:
    name: str
    value: str
    confidence: float
    page: int = 1
    bbox: list[float] = field(default_factory=list)  # fractions of the page: x0, y0, x1, y1


@dataclass
class Line:
    words: list[Word]

    @property
    def top(self) -> int:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> int:
        return max(w.bottom for w in self.words)

    @property
    def height(self) -> float:
        return sorted(w.height for w in self.words)[len(self.words) // 2]


@dataclass
class Hit:
    """A label found on a line: the words it spans."""

    line_index: int
    start: int
    end: int  # exclusive
    words: list[Word]

    @property
    def left(self) -> int:
        return self.words[0].left

    @property
    def right(self) -> int:
        return self.words[-1].right

    @property
    def top(self) -> int:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> int:
        return max(w.bottom for w in self.words)


@dataclass
class Page:
    number: int
    words: list[Word]
    image: Image.Image
    lines: list[Line] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.lines = group_lines(self.words)


def norm(text: str) -> str:
    text = re.sub(r"[^a-z0-9#/\-]", "", text.lower())
    # A box's left rule read onto the label: "I-NPI:", "|Name".
    return re.sub(r"^[il1]?[-/|]+(?=[a-z])", "", text)


def group_lines(words: list[Word]) -> list[Line]:
    """Words into reading lines by their vertical centres (Tesseract's sparse mode reports each
    run of words as its own block, so its line numbers do not join a row of a form)."""
    lines: list[Line] = []
    for word in sorted(words, key=lambda w: (w.cy, w.left)):
        for line in reversed(lines[-3:]):
            last = line.words[-1]
            tolerance = max(min(w.height for w in line.words), word.height) * 0.5
            if abs(sum(w.cy for w in line.words) / len(line.words) - word.cy) <= tolerance:
                line.words.append(word)
                break
            del last
        else:
            lines.append(Line(words=[word]))
    for line in lines:
        line.words.sort(key=lambda w: w.left)
    lines.sort(key=lambda ln: ln.top)
    return lines


def _token_match(a: str, b: str) -> bool:
    if a == b:
        return True
    # l/1/i look alike in a fax: "NPL" is the label "NPI".
    a, b = a.replace("l", "i").replace("1", "i"), b.replace("l", "i").replace("1", "i")
    if a == b:
        return True
    if len(b) <= 3:
        # "NPIL." for "NPI": a table rule or speck read onto a short label.
        return a == b or (
            bool(b) and a.startswith(b) and len(a) - len(b) <= 2 and not a[len(b) :].isdigit()
        )
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.86


def _phrase_tokens(phrase: str) -> list[str]:
    return [t for t in (norm(p) for p in phrase.split()) if t]


def find_phrase(lines: list[Line], phrase: str, *, exact: bool = False) -> list[Hit]:
    tokens = _phrase_tokens(phrase)
    match = (lambda a, b: a.rstrip(":#") == b.rstrip(":#")) if exact else _token_match
    hits = []
    for li, line in enumerate(lines):
        texts = [norm(w.text) for w in line.words]
        for start in range(len(texts) - len(tokens) + 1):
            if all(
                match(texts[start + k].rstrip(":#"), tokens[k].rstrip(":#"))
                or match(texts[start + k], tokens[k])
                for k in range(len(tokens))
            ):
                hits.append(
                    Hit(li, start, start + len(tokens), line.words[start : start + len(tokens)])
                )
    return hits


def find_label(lines: list[Line], phrases: list[str], *, exact: bool = False) -> list[Hit]:
    """Hits of the longest phrases first, so "member name" wins over "name"."""
    hits: list[Hit] = []
    taken: set[tuple[int, int]] = set()
    for phrase in sorted(phrases, key=lambda p: -len(_phrase_tokens(p))):
        for hit in find_phrase(lines, phrase, exact=exact):
            span = {(hit.line_index, i) for i in range(hit.start, hit.end)}
            if span & taken:
                continue
            taken |= span
            hits.append(hit)
    hits.sort(key=lambda h: (h.line_index, h.start))
    return hits


ALL_LABEL_PHRASES = sorted(
    {p for ps in LABELS.values() for p in ps}
    | {p for ps in SECTIONS.values() for p in ps}
    | {
        "address",
        "city",
        "state",
        "zip",
        "specialty",
        "tax id",
        "gender",
        "sex",
        "signature",
        "date",
        "plan",
        "group",
        "contact name",
        "contact",
        "units",
        "start date",
        "end date",
        "description",
    },
)


# Field labels of one word that never occur inside a member's or provider's name or an ID: in a
# row of boxes ("Provider name | NPI | Phone") the next box's label ends the value.
ONE_WORD_LABELS = {"dob", "npi", "phone", "fax", "telephone", "tel"}


def _is_label_start(line: Line, index: int) -> bool:
    word = line.words[index]
    if word.text.endswith(":"):
        return True
    if norm(word.text).rstrip("#") in ONE_WORD_LABELS:
        return True
    texts = [norm(w.text) for w in line.words[index : index + 4]]
    for phrase in ALL_LABEL_PHRASES:
        tokens = _phrase_tokens(phrase)
        if (
            len(tokens) <= len(texts)
            and all(
                _token_match(texts[k].rstrip(":#"), tokens[k].rstrip(":#"))
                for k in range(len(tokens))
            )
            and len(tokens) >= 2
        ):
            return True
    return False


@dataclass
class Region:
    left: float
    top: float
    right: float
    bottom: float


def section_regions(page: Page) -> dict[str, Region]:
    """Where each section is: from its heading down to the next heading below it that overlaps it
    horizontally, and across to the next heading on the same row (side-by-side boxes)."""
    width, height = page.image.size
    heads: list[tuple[str, Hit]] = []
    for key, phrases in SECTIONS.items():
        found = find_label(page.lines, phrases)
        if found:
            heads.append((key, found[0]))
    regions: dict[str, Region] = {}
    for key, hit in heads:
        row_h = page.lines[hit.line_index].height
        same_row = [h for k, h in heads if k != key and abs(h.top - hit.top) < row_h]
        right = min((h.left for h in same_row if h.left > hit.left), default=width) - 1
        left = hit.left - row_h * 2 if any(h.left < hit.left for h in same_row) else 0
        below = [h for k, h in heads if k != key and h.top > hit.bottom + row_h / 2]
        bottom = min((h.top for h in below), default=height) - 1
        regions[key] = Region(left, hit.top, right, bottom)
    return regions


def _in(region: Region | None, word: Word) -> bool:
    if region is None:
        return True
    return region.left <= word.cx <= region.right and region.top <= word.cy <= region.bottom


def _lines_in(page: Page, region: Region | None) -> list[Line]:
    out = []
    for line in page.lines:
        words = [w for w in line.words if _in(region, w)]
        if words:
            out.append(Line(words=words))
    return out


def value_after(lines: list[Line], hit: Hit, *, right_limit: float | None = None) -> list[Word]:
    """The words of a label's value: to its right on the same line up to the next label or a
    wide gap, else in the box below it (up to the next label on the label's own row)."""
    line = lines[hit.line_index]
    gap_limit = line.height * 4
    words: list[Word] = []
    previous = hit.words[-1]
    # The value's words may sit a few pixels off the label's line (skew, a box's baseline), so
    # Tesseract's neighbouring lines count when they are level with the label.
    hit_cy = (hit.top + hit.bottom) / 2
    level = [
        w
        for other in lines[max(0, hit.line_index - 1) : hit.line_index + 2]
        for w in other.words
        if w.left >= hit.right - 1 and abs(w.cy - hit_cy) < line.height * 0.6 and w not in hit.words
    ]
    line = Line(words=[*hit.words, *sorted(level, key=lambda w: w.left)])
    hit = Hit(hit.line_index, 0, len(hit.words), hit.words)
    for i in range(hit.end, len(line.words)):
        word = line.words[i]
        if right_limit is not None and word.left >= right_limit:
            break
        if _is_label_start(line, i) and words:
            break
        if word.left - previous.right > gap_limit and words:
            break
        if word.left - previous.right > gap_limit * 8:
            break
        if not any(ch.isalnum() for ch in word.text):  # a table rule read as "|" or a quote
            previous = word
            continue
        if _is_label_start(line, i):
            break
        words.append(word)
        previous = word
    if words:
        return words
    # The box below: from the label's left edge to the next label on its row (Tesseract may put
    # a row's labels on slightly different lines, so neighbouring lines count too).
    next_label = right_limit if right_limit is not None else 10**9
    hit_cy = (hit.top + hit.bottom) / 2
    for other in lines[max(0, hit.line_index - 2) : hit.line_index + 3]:
        for i, word in enumerate(other.words):
            if (
                word.left > hit.right
                and abs(word.cy - hit_cy) < line.height
                and word.left < next_label
                and _is_label_start(other, i)
            ):
                next_label = word.left
    for below in lines[hit.line_index + 1 : hit.line_index + 3]:
        if below.top - line.bottom > line.height * 4:
            break
        found = [w for w in below.words if hit.left - line.height <= w.cx < next_label]
        found = [
            w
            for i, w in enumerate(below.words)
            if w in found and not _is_label_start(below, i) and any(ch.isalnum() for ch in w.text)
        ]
        if found:
            return found
    return []


def _candidate(name: str, words: list[Word], page: Page, value: str | None = None) -> Candidate:
    width, height = page.image.size
    return Candidate(
        name=name,
        value=value if value is not None else " ".join(w.text for w in words).strip(" :"),
        confidence=min((w.conf for w in words), default=0.0),
        page=page.number,
        bbox=[
            round(min(w.left for w in words) / width, 4),
            round(min(w.top for w in words) / height, 4),
            round(max(w.right for w in words) / width, 4),
            round(max(w.bottom for w in words) / height, 4),
        ]
        if words
        else [],
    )


TITLES = {"dr.", "jr.", "sr.", "md.", "st."}


def clean_name(words: list[Word]) -> str:
    """A person's or practice's name without OCR specks ("Helen." for "Helen")."""
    tokens = []
    for w in words:
        text = w.text.strip("|\"'`,;:_~")
        if text.endswith(".") and text.lower() not in TITLES:
            text = text.rstrip(".")
        if text:
            tokens.append(text)
    return " ".join(tokens)


def _read_label(page: Page, lines: list[Line], phrases: list[str]) -> list[Word]:
    for hit in find_label(lines, phrases):
        words = value_after(lines, hit)
        if words:
            return words
    return []


# --- value clean-up per kind --------------------------------------------------------------------


def digits_only(text: str) -> str:
    return re.sub(r"\D", "", text.translate(DIGIT_FIXES))


def parse_date(text: str) -> str:
    """MM/DD/YYYY on the form, ISO in the field."""
    fixed = text.translate(DIGIT_FIXES) if re.search(r"\d", text) else text
    match = DATE_RE.search(fixed.replace(" ", ""))
    if not match:
        return ""
    month_text, day_text, year_text = match.groups()
    # A fax's 0 often reads as 9: "92/06" is no month, "02/06" is.
    if int(month_text) > 12 and month_text.startswith("9"):
        month_text = "0" + month_text[1:]
    if int(day_text) > 31 and day_text.startswith("9"):
        day_text = "0" + day_text[1:]
    month, day, year = int(month_text), int(day_text), int(year_text)
    if year < 100:
        year += 1900 if year > 30 else 2000
    return f"{year:04d}-{month:02d}-{day:02d}"


def parse_phone(text: str) -> str:
    match = PHONE_RE.search(text.translate(DIGIT_FIXES))
    return f"({match[1]}) {match[2]}-{match[3]}" if match else ""


def parse_npi(words: list[Word]) -> tuple[str, list[Word]]:
    # Strip rule specks first: a "|" before the number would otherwise become a leading 1.
    digits = digits_only(" ".join(w.text.strip("|.,:;'\"!") for w in words))
    if len(digits) <= 10:
        return digits, words
    # A speck read as a digit next to the number: the window whose check digit holds wins.
    windows = [digits[i : i + 10] for i in range(len(digits) - 9)]
    # Specks come from the box's left rule, so the rightmost valid window is the likelier one.
    return next((w for w in reversed(windows) if is_valid_npi(w)), windows[-1]), words


def parse_member_id(words: list[Word]) -> str:
    token = "".join(w.text for w in words[:2]).strip(":#").upper()
    token = re.sub(r"[^A-Z0-9]", "", token)
    # IDs here are letters then digits (M100234, SUN100001): the digit part cannot hold letters.
    match = re.match(r"^([A-Z]*)(.*)$", token)
    prefix, rest = match[1], match[2]
    if len(prefix) > 3:  # "SUNIOO234" → letters eaten into the number
        rest, prefix = prefix[3:] + rest, prefix[:3]
    return prefix + rest.translate(DIGIT_FIXES)


def fix_icd(text: str) -> str:
    text = text.strip(",;.:-_'\"|").upper()
    if len(text) < 5 or text[3] not in ".,:":  # forms print the dot; no dot, no code
        return ""
    text = text[:3] + "." + text[4:]
    if sum(ch.isdigit() for ch in text) < 2:
        return ""
    if len(text) >= 3:
        head = (
            text[0]
            .replace("0", "O")
            .replace("1", "I")
            .replace("5", "S")
            .replace("8", "B")
            .replace("2", "Z")
            .replace("6", "G")
            .replace("7", "T")
            .replace("$", "S")
        )
        text = head + text[1:3].translate(DIGIT_FIXES) + text[3:]
    if "." not in text and len(text) > 3:
        text = f"{text[:3]}.{text[3:]}"
    return text


def fix_service_code(text: str) -> str:
    text = re.sub(r"[^A-Z0-9]", "", text.upper())
    if len(text) == 5 and text[0].isalpha() and text[1:].translate(DIGIT_FIXES).isdigit():
        return text[0] + text[1:].translate(DIGIT_FIXES)
    if len(text) == 5 and text[4] in "FTU":
        return text[:4].translate(DIGIT_FIXES) + text[4]
    return text.translate(DIGIT_FIXES) if len(text) == 5 else text


# --- the form -----------------------------------------------------------------------------------


def checkbox_fill(page: Page, word: Word) -> float:
    """How dark the box just left of a checkbox's caption is (0-1): a ticked box has a mark."""
    # The middle of the box: a tick or cross crosses it, an empty box's border does not.
    h = word.height
    cx, half = word.left - 1.1 * h, max(2, int(0.3 * h))
    box = (
        max(0, int(cx - half)),
        max(0, int(word.cy - half)),
        max(1, int(cx + half)),
        int(word.cy + half),
    )
    histogram = page.image.crop(box).convert("L").histogram()
    total = sum(histogram)
    return sum(histogram[:128]) / total if total else 0.0


def read_choice(page: Page, options: dict[str, list[str]], name: str) -> Candidate | None:
    """Which of the checkboxes is ticked: the caption with the darkest box wins."""
    scores: list[tuple[float, str, Word]] = []
    for value, captions in options.items():
        # Exact: "inpatient" is a near-miss of "outpatient".
        for hit in find_label(page.lines, captions, exact=True):
            line = page.lines[hit.line_index]
            before = [w for w in line.words if w.right <= hit.left]
            if (
                before
                and before[-1].text.isalpha()
                and len(before[-1].text) >= 3
                and (hit.left - before[-1].right < 2 * hit.words[0].height)
            ):
                continue  # a word in running text ("Outpatient and Inpatient ..."), no box
            scores.append((checkbox_fill(page, hit.words[0]), value, hit.words[0]))
    if len(scores) < 2:
        return None
    scores.sort(key=lambda s: -s[0])
    best, second = scores[0], next((s for s in scores[1:] if s[1] != scores[0][1]), None)
    if second is None:
        return None
    margin = best[0] - second[0]
    candidate = _candidate(name, [best[2]], page, value=best[1])
    candidate.confidence = max(0.0, min(100.0, 50 + margin * 250))
    return candidate


def read_services(page: Page, region: Region | None) -> list[Candidate]:
    lines = _lines_in(page, region) if region else page.lines
    header = None
    for li, line in enumerate(lines):
        texts = " ".join(norm(w.text) for w in line.words)
        has_code = any(h in texts for h in ("cpt", "hcpcs", "code", "procedure"))
        # The units header is a short word a fax often mangles ("Qty" read "aty"): a code column
        # beside a date column makes the row a header too.
        if (
            (has_code or any(h in texts for h in ("description", "date")))
            and any(u in texts for u in ("unit", "qty", "quantity", "visits"))
            or (has_code and "date" in texts)
        ):
            header = li
            break
    if header is None:
        return []
    head = lines[header]

    def column_x(names: list[str]) -> float | None:
        hits = find_label([head], names)
        return hits[0].words[0].cx if hits else None

    units_x = column_x(UNITS_HEADERS)
    start_x = column_x(START_HEADERS)
    end_x = column_x(END_HEADERS)
    out: list[Candidate] = []
    row = 0
    for line in lines[header + 1 : header + 12]:
        codes = [
            w
            for w in line.words
            if SERVICE_CODE_RE.match(fix_service_code(w.text)) and not DATE_RE.search(w.text)
        ]
        if not codes:
            if row and any(_is_label_start(line, i) for i in range(len(line.words))):
                break
            continue
        row += 1
        code = codes[0]
        out.append(
            _candidate(f"service_{row}_code", [code], page, value=fix_service_code(code.text))
        )
        rest = [w for w in line.words if w is not code]
        numbers = [w for w in rest if re.fullmatch(r"\d{1,3}", w.text.translate(DIGIT_FIXES))]
        dates = [w for w in rest if DATE_RE.search(w.text.translate(DIGIT_FIXES))]
        if units_x and not any(abs(w.cx - units_x) < 80 for w in numbers):
            # A lone digit in a table cell is what sparse-text OCR most often drops: read the
            # cell again on its own, as one line of digits.
            cell = ocr_digits(
                page.image, (int(units_x - 70), code.top - 12, int(units_x + 70), code.bottom + 12)
            )
            if cell is not None:
                numbers = [cell, *numbers]
        if numbers:
            unit = min(numbers, key=lambda w: abs(w.cx - units_x)) if units_x else numbers[0]
            out.append(
                _candidate(f"service_{row}_units", [unit], page, value=digits_only(unit.text))
            )
        # Each date goes to the column it sits under; a date OCR dropped leaves its column
        # empty rather than borrowing the other column's date.
        by_column: dict[str, Word] = {}
        for date_word in dates:
            if start_x is not None and end_x is not None:
                column = (
                    "start" if abs(date_word.cx - start_x) <= abs(date_word.cx - end_x) else "end"
                )
            else:
                column = "start" if not by_column else "end"
            by_column.setdefault(column, date_word)
        for column, date_word in by_column.items():
            out.append(
                _candidate(
                    f"service_{row}_{column}", [date_word], page, value=parse_date(date_word.text)
                )
            )
    return out


def read_diagnoses(page: Page, region: Region | None) -> list[Candidate]:
    words = [w for line in (_lines_in(page, region) if region else page.lines) for w in line.words]
    out: list[Candidate] = []
    seen: set[str] = set()
    for word in words:
        for piece in ICD_LIKE.findall(word.text.upper()):
            code = fix_icd(piece)
            if ICD_RE.match(code) and code not in seen:
                seen.add(code)
                out.append(_candidate(f"diagnosis_{len(out) + 1}", [word], page, value=code))
    return out


def read_paragraph(page: Page, phrases: list[str], region: Region | None) -> list[Word]:
    lines = _lines_in(page, region) if region else page.lines
    hits = find_label(lines, phrases)
    if not hits:
        return []
    hit = hits[0]
    words = value_after(lines, hit)
    start = hit.line_index + 1
    if words and words[0].top > lines[hit.line_index].bottom:  # it was read from below
        start += 1
    for line in lines[start : start + 5]:
        if any(_is_label_start(line, i) for i in range(min(2, len(line.words)))):
            break
        words.extend(line.words)
    return words


def _provider_fields(page: Page, regions: dict[str, Region], key: str) -> list[Candidate]:
    region = regions.get(key)
    if region is None:
        return []
    lines = _lines_in(page, region)
    out = []
    # The heading itself may read "Requesting provider name:" — then it is the name's label.
    name_words = _read_label(page, lines, [f"{SECTIONS[key][0]} name", *LABELS["provider_name"]])
    if name_words:
        out.append(_candidate(f"{key}_name", name_words, page, value=clean_name(name_words)))
    npi_words = _read_label(page, lines, LABELS["provider_npi"])
    if npi_words:
        value, used = parse_npi(npi_words)
        out.append(_candidate(f"{key}_npi", used, page, value=value))
    return out


def read_form(pages: list[Page]) -> list[Candidate]:
    """Every field the request form carries, from the first page that looks like one."""
    out: list[Candidate] = []
    names: set[str] = set()

    def add(candidates: list[Candidate]) -> None:
        for c in candidates:
            if c.name not in names and c.value:
                names.add(c.name)
                out.append(c)

    from . import refine  # it builds on this module's parsers

    forms = [p for p in pages if page_kind(p) == "request_form"]
    if not forms and pages:  # a poor scan: the page most like a form
        forms = [max(pages, key=form_score)]
    for page in forms:
        regions = section_regions(page)
        member_lines = _lines_in(page, regions.get("member"))
        for name, phrases in (
            ("member_name", LABELS["member_name"]),
            ("member_id", LABELS["member_id"]),
            ("member_dob", LABELS["member_dob"]),
        ):
            words = _read_label(page, member_lines, phrases)
            if not words:
                continue
            value = None
            if name == "member_name":
                value = clean_name(words)
            elif name == "member_dob":
                value = parse_date(" ".join(w.text for w in words))
            elif name == "member_id":
                value = parse_member_id(words)
                words = words[:2] if len(words) > 1 and len(words[0].text) < 4 else words[:1]
            add([_candidate(name, words, page, value=value)])
        add(_provider_fields(page, regions, "requesting"))
        add(_provider_fields(page, regions, "servicing"))
        add(read_services(page, regions.get("services")))
        diagnoses = read_diagnoses(page, regions.get("diagnosis"))
        if regions.get("diagnosis") is not None:
            diagnoses = refine.diagnoses_from_region(page, regions["diagnosis"], diagnoses)
        add(diagnoses)
        reason = read_paragraph(page, SECTIONS["clinical"], None)
        if reason:
            add([_candidate("clinical_reason", reason, page)])
        contact = regions.get("contact") or regions.get("requesting")
        contact_lines = _lines_in(page, contact)
        for name, phrases, parse in (
            ("contact_phone", LABELS["contact_phone"], parse_phone),
            ("contact_fax", LABELS["contact_fax"], parse_phone),
        ):
            words = _read_label(page, contact_lines, phrases) or _read_label(
                page, page.lines, phrases
            )
            if words:
                add([_candidate(name, words, page, value=parse(" ".join(w.text for w in words)))])
        urgency = read_choice(page, URGENCY_WORDS, "urgency")
        if urgency:
            add([urgency])
        setting = read_choice(page, SETTING_WORDS, "setting")
        if setting:
            add([setting])
        break
    return refine.refine_all(out, forms)
