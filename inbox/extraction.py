"""Reading a prior-authorization request form from OCR words: every field it carries, each with a
confidence and where on the page it came from.

The parts: layout.py finds labels, sections and the value beside or below a label; parsers.py
turns the words into values; tables.py reads the services and diagnoses; refine.py reads the
doubtful key fields again from their own regions. Validation and record matching are in
validation.py. Everything here is pure: words and a page image in, candidate values out.
"""

import dataclasses
import re

from um_portal.lib.npi import is_valid_npi

from . import refine
from .layout import (  # noqa: F401 - part of this module's interface
    LABELS,
    LOW_CONFIDENCE,
    SECTIONS,
    Candidate,
    Hit,
    Line,
    Page,
    Region,
    _candidate,
    _is_label_start,
    _lines_in,
    _read_label,
    find_label,
    group_lines,
    section_regions,
    value_after,
)
from .ocr import Word
from .page_kinds import (  # noqa: F401 - part of this module's interface
    DOCUMENT_KIND_KEYWORDS,
    find_reference,
    form_score,
    page_kind,
    page_text,
    suggest_document_kind,
)
from .parsers import (  # noqa: F401 - part of this module's interface
    clean_name,
    fix_icd,
    fix_service_code,
    parse_date,
    parse_member_id,
    parse_npi,
    parse_phone,
)
from .tables import read_diagnoses, read_services  # noqa: F401 - part of this module's interface

URGENCY_WORDS = {"expedited": ["expedited", "urgent"], "standard": ["standard", "routine"]}
SETTING_WORDS = {"inpatient": ["inpatient"], "outpatient": ["outpatient"]}


def checkbox_fill(page: Page, word: Word, line_height: float | None = None) -> float:
    """How dark the box just left of a checkbox's caption is (0-1): a ticked box has a mark."""
    if line_height and word.height > 1.5 * line_height:
        # The caption's box swallowed the ticked box's mark above it: the line's height is
        # the text's.
        top = int(word.cy - line_height / 2)
        word = dataclasses.replace(word, top=top, height=int(line_height))
    fill = _drawn_box_fill(page, word)
    return _box_centre_fill(page, word) if fill is None else fill


def _runs(flags: list[bool]) -> list[tuple[int, int]]:
    runs, start = [], None
    for i, on in enumerate([*flags, False]):
        if on and start is None:
            start = i
        elif not on and start is not None:
            runs.append((start, i - 1))
            start = None
    return runs


def _drawn_box_fill(page: Page, word: Word) -> float | None:
    """The inside of the box drawn left of the caption, found by its four sides, or None when
    no drawn box is there. Forms leave different gaps between a box and its caption, so a box
    guessed at a fixed distance may be its own border (an empty box read as ticked)."""
    h = word.height
    left, top = max(0, int(word.left - 3 * h)), max(0, int(word.cy - 0.9 * h))
    right, bottom = int(word.left - 0.1 * h), int(word.cy + 0.9 * h)
    if right - left < 6 or bottom - top < 6:
        return None
    crop = page.image.crop((left, top, right, bottom)).convert("L")
    width, height = crop.size
    dark = [[v < 128 for v in row] for row in _rows(crop)]
    # A side of the box is a column (or row) mostly dark over the box's extent; a tick or a
    # cross crosses a column only once or twice.
    counts = [sum(r[x] for r in dark) for x in range(width)]
    tallest = max(counts)
    if tallest < 0.4 * height:
        return None
    columns = _runs([c >= 0.8 * tallest for c in counts])
    if len(columns) < 2:
        return None
    (l0, l1), (r0, r1) = columns[-2], columns[-1]
    if not 0.4 * h <= r0 - l1 <= 2.5 * h:
        return None
    rows = _runs([sum(row[l0 : r1 + 1]) >= 0.6 * (r1 - l0 + 1) for row in dark])
    if len(rows) < 2:
        return None
    t1, b0 = rows[0][1], rows[-1][0]  # the top side's lower edge, the bottom side's upper
    margin = 2
    inside = [row[l1 + 1 + margin : r0 - margin] for row in dark[t1 + 1 + margin : b0 - margin]]
    cells = sum(len(row) for row in inside)
    if cells < 9:
        return None
    return sum(sum(row) for row in inside) / cells


def _rows(image) -> list[list[int]]:
    width = image.size[0]
    data = image.tobytes()  # one byte per pixel in mode "L"
    return [data[i : i + width] for i in range(0, len(data), width)]


def _box_centre_fill(page: Page, word: Word) -> float:
    # No drawn box found (a bracket "[ ]" typed as text, say): the middle of where a box
    # usually sits — a tick or cross crosses it, an empty box's border does not.
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
            scores.append((checkbox_fill(page, hit.words[0], line.height), value, hit.words[0]))
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
    value, used = parse_npi(npi_words) if npi_words else ("", [])
    if not is_valid_npi(value) and (lone := _lone_npi(lines)) is not None:
        # The label was misread ("NPU#:", "NPI-Number:"), but the box holds one number that is
        # an NPI by its check digit. Found without its label, it goes to a person to confirm.
        value, used = lone.text.strip(NPI_SPECKS), [lone]
        found = _candidate(f"{key}_npi", used, page, value=value)
        found.infer()
        out.append(found)
    elif npi_words:
        out.append(_candidate(f"{key}_npi", used, page, value=value))
    return out


NPI_SPECKS = "|.,:;'\"!"


def _lone_npi(lines: list[Line]) -> Word | None:
    """The one word in a provider's box that is a whole NPI, or None if none or several."""
    found = [
        w
        for line in lines
        for w in line.words
        if re.fullmatch(r"\d{10}", text := w.text.strip(NPI_SPECKS)) and is_valid_npi(text)
    ]
    return found[0] if len({w.text.strip(NPI_SPECKS) for w in found}) == 1 else None


def read_form(pages: list[Page]) -> list[Candidate]:
    """Every field the request form carries, from the first page that looks like one."""
    out: list[Candidate] = []
    names: set[str] = set()

    def add(candidates: list[Candidate]) -> None:
        for c in candidates:
            if c.name not in names and c.value:
                names.add(c.name)
                out.append(c)

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
