"""The form's tables: the requested services (code, units, dates in columns under a header row)
and the diagnosis codes."""

import re

from . import ocr
from .layout import (
    Candidate,
    Line,
    Page,
    Region,
    _candidate,
    _is_label_start,
    _lines_in,
    find_label,
    norm,
)
from .ocr import Word
from .parsers import (
    DATE_RE,
    DIGIT_FIXES,
    ICD_LIKE,
    ICD_RE,
    SERVICE_CODE_RE,
    digits_only,
    fix_icd,
    fix_service_code,
    parse_date,
)

CODE_HEADERS = ["cpt/hcpcs", "cpt", "hcpcs", "procedure code", "code", "cpt/hcpcs code"]
UNITS_HEADERS = ["units", "qty", "quantity", "visits", "number of units"]
START_HEADERS = ["start date", "from", "start", "date of service", "from date", "begin"]
END_HEADERS = ["end date", "to", "end", "through", "to date"]


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
    code_x = column_x(CODE_HEADERS)
    out: list[Candidate] = []
    row = 0
    for line in lines[header + 1 : header + 12]:
        codes = [
            w
            for w in line.words
            if SERVICE_CODE_RE.match(fix_service_code(w.text)) and not DATE_RE.search(w.text)
        ]
        recovered = None
        if codes:
            code, value, confidence = codes[0], fix_service_code(codes[0].text), codes[0].conf
        elif row and any(_is_label_start(line, i) for i in range(len(line.words))):
            break  # the table ended: a labelled line ("Signature:  Date: ...") follows it
        elif recovered := _code_reread(page, line, code_x):
            code, value, confidence = recovered
        elif _has_date(line):
            # A service row whose code cannot be read keeps its place, its code left empty for
            # the person: otherwise the next row's code would be taken for this row's.
            code = None
        else:
            continue
        row += 1
        if code is not None:
            code_x = code.cx  # the rows below share the column of the codes found above
            found = _candidate(f"service_{row}_code", [code], page, value=value)
            found.confidence = confidence
            if recovered:
                found.infer()
            out.append(found)
        top, bottom = (code.top, code.bottom) if code is not None else (line.top, line.bottom)
        rest = [w for w in line.words if w is not code]
        numbers = [w for w in rest if re.fullmatch(r"\d{1,3}", w.text.translate(DIGIT_FIXES))]
        dates = [w for w in rest if DATE_RE.search(w.text.translate(DIGIT_FIXES))]
        cell = None
        if units_x:
            # The units cell read again on its own, as one line of digits: sparse-text OCR
            # drops a lone digit, and on a boxed form reads the cell's rule as a sure "1"
            # (3 read 1 at 95), which nothing else would catch, since units have no check.
            cell = ocr.ocr_digits(
                page.image, (int(units_x - 70), top - 12, int(units_x + 70), bottom + 12)
            )
            if cell is not None and not any(abs(w.cx - units_x) < 80 for w in numbers):
                numbers = [cell, *numbers]
        if numbers:
            unit = min(numbers, key=lambda w: abs(w.cx - units_x)) if units_x else numbers[0]
            found = _candidate(f"service_{row}_units", [unit], page, value=digits_only(unit.text))
            if units_x and unit is not cell:
                second = digits_only(cell.text) if cell is not None else ""
                if second != found.value:
                    # Two readings disagree, or the cell alone shows no digit: a person looks.
                    found.alternatives.append(second)
            out.append(found)
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


def _has_date(line: Line) -> bool:
    return any(DATE_RE.search(w.text.translate(DIGIT_FIXES)) for w in line.words)


def _code_shaped(text: str) -> bool:
    """Five or so characters, mostly digits: a code with a glyph misread ("£0601", "J17A5")."""
    text = text.strip(".,;:|'\"_-")
    return 4 <= len(text) <= 7 and sum(ch.isdigit() for ch in text) >= 3 and "/" not in text


def _code_reread(page: Page, line: Line, code_x: float | None) -> tuple[Word, str, float] | None:
    """The code of a service row the page OCR misread or dropped ("£0601" for E0601), read
    again from its own cell with only the characters a code may hold. A row is a service row
    when it carries a date; its code is a code-shaped word with digits, or whatever sits in the
    code column. The recovered code always goes to a person to confirm."""
    if not _has_date(line):
        return None
    boxes = [
        (w.left - 12, w.top - 8, w.right + 12, w.bottom + 8)
        for w in line.words
        if _code_shaped(w.text) and not DATE_RE.search(w.text)
    ]
    if not boxes and code_x is not None:
        boxes = [(int(code_x) - 70, line.top - 8, int(code_x) + 70, line.bottom + 8)]
    for box in boxes:
        reread = ocr.ocr_field(page.image, box, "service_code")
        if reread is None:
            continue
        value = fix_service_code(reread[0])
        if SERVICE_CODE_RE.match(value):
            left, top, right, bottom = box
            word = Word(value, reread[1], left, top, right - left, bottom - top)
            return word, value, reread[1]
    return None


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
