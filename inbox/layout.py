"""Finding things on a page the way a person does: by their labels and section headings, not by
coordinates. Words (from inbox.ocr) are grouped into reading lines; a label is found on a line,
its value to its right or in the box below it; sections ("Requesting provider", "Member") scope
the labels that repeat ("Name", "NPI", "Phone"). Pure: words in, words and regions out.
"""

import difflib
import re
from dataclasses import dataclass, field

from PIL import Image

from .labels import ALL_LABEL_PHRASES, LABELS, ONE_WORD_LABELS, SECTIONS  # noqa: F401
from .ocr import Word

# Below this OCR confidence (0-100) a value must be confirmed by a person even when it validates.
LOW_CONFIDENCE = 90.0


@dataclass
class Candidate:
    name: str
    value: str
    confidence: float
    page: int = 1
    bbox: list[float] = field(default_factory=list)  # fractions of the page: x0, y0, x1, y1
    # Inferred rather than read plainly (a label-less NPI, a code from its cell, a list with a
    # code missing): a person confirms it however sure a later re-read is.
    inferred: bool = False
    # Other well-formed readings of the same region (a second Tesseract run with the field's
    # whitelist and scale): validation flags a value its readings disagree on.
    alternatives: list[str] = field(default_factory=list)

    def infer(self) -> None:
        self.inferred = True
        self.confidence = min(self.confidence, LOW_CONFIDENCE - 1)


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


# Two label words read as one when the space between them is lost: "ID.Number:", "Member:ID".
JOINED = re.compile(r"^([A-Za-z]{2,}[.:])([A-Z][A-Za-z]+:?)$")
LABEL_TOKENS = frozenset(
    t.rstrip(":#") for phrase in ALL_LABEL_PHRASES for t in (norm(p) for p in phrase.split()) if t
)


def split_joined_label(word: Word) -> list[Word]:
    """A word made of two label words, as two words (each with its share of the box); any other
    word as it is. Only label words are split, so a value ("Dr.Park") is left alone."""
    m = JOINED.match(word.text)
    if not m or not {norm(m.group(1)), norm(m.group(2)).rstrip(":#")} <= LABEL_TOKENS:
        return [word]
    first, second = m.group(1), m.group(2)
    cut = round(word.width * len(first) / len(word.text))
    return [
        Word(first, word.conf, word.left, word.top, cut, word.height, word.block, word.line),
        Word(
            second,
            word.conf,
            word.left + cut,
            word.top,
            word.width - cut,
            word.height,
            word.block,
            word.line,
        ),
    ]


def group_lines(words: list[Word]) -> list[Line]:
    """Words into reading lines by their vertical centres (Tesseract's sparse mode reports each
    run of words as its own block, so its line numbers do not join a row of a form)."""
    lines: list[Line] = []
    words = [part for word in words for part in split_joined_label(word)]
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
        # "NPIL." for "NPI", "bDoB" for "DOB": a table rule or speck read onto a short label;
        # "BoB" for "DOB": one capital read as its look-alike.
        return a == b or (
            bool(b)
            and (
                (a.startswith(b) and len(a) - len(b) <= 2 and not a[len(b) :].isdigit())
                or (a.endswith(b) and len(a) - len(b) == 1 and not a[0].isdigit())
                or _one_lookalike_apart(a, b)
            )
        )
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.86


# Capitals a fax blurs into each other, as norm() lower-cases them.
SHORT_LABEL_LOOKALIKES = {frozenset("bd"), frozenset("o0"), frozenset("oq"), frozenset("s5")}


def _one_lookalike_apart(a: str, b: str) -> bool:
    """Two words of three letters or more that differ in one place, by look-alike capitals."""
    if len(a) != len(b) or len(b) < 3:
        return False
    diffs = [frozenset((x, y)) for x, y in zip(a, b, strict=True) if x != y]
    return len(diffs) == 1 and diffs[0] in SHORT_LABEL_LOOKALIKES


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


def _value_below(lines: list[Line], index: int, label: Word) -> bool:
    """Whether a value (not another label) sits right under the label, aligned with it."""
    height = lines[index].height
    for below in lines[index + 1 : index + 3]:
        if below.top - lines[index].bottom > height * 3:
            return False
        for i, word in enumerate(below.words):
            if abs(word.left - label.left) <= height * 1.5 and any(c.isalnum() for c in word.text):
                return not _is_label_start(below, i)
    return False


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
    hit_index = hit.line_index
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
        if (
            not words
            and word.left - previous.right > gap_limit
            and _value_below(lines, hit_index, hit.words[0])
        ):
            # A row of boxed labels ("MEMBER ID        DOB") with the values under them: the
            # far word is the next box's label, misread past recognising ("bDoB"), not a value,
            # and the box below ends where that label's box begins.
            right_limit = word.left if right_limit is None else min(right_limit, word.left)
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


def _read_label(page: Page, lines: list[Line], phrases: list[str]) -> list[Word]:
    for hit in find_label(lines, phrases):
        words = value_after(lines, hit)
        if words:
            return words
    return []
