"""What kind of page it is (request form, fax cover, clinical notes ...), the document kind to
suggest for it, and a case reference on a cover page. Words in, labels out: no OCR here."""

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .layout import Page

FORM_MARKERS = [
    "prior authorization",
    "npi",
    "cpt",
    "hcpcs",
    "icd",
    "member id",
    "diagnosis",
    "date of birth",
    "requesting provider",
    "servicing provider",
]
COVER_MARKERS = ["fax", "cover", "to:", "from:", "pages", "confidential", "re:"]
# intake.DocumentKind values, and the words that suggest them.
DOCUMENT_KIND_KEYWORDS: list[tuple[str, list[str]]] = [
    ("imaging_report", ["impression", "radiology", "mri", "ct scan", "x-ray", "findings"]),
    ("lab_results", ["laboratory", "lab results", "reference range", "specimen"]),
    ("therapy_notes", ["physical therapy", "conservative", "therapy sessions", "home exercise"]),
    ("lmn", ["letter of medical necessity", "medically necessary", "to whom it may concern"]),
    ("order", ["order", "prescription", "rx", "dispense"]),
    ("oxygen_test", ["oxygen saturation", "spo2", "pulse oximetry"]),
    (
        "clinical_notes",
        [
            "history of present illness",
            "assessment",
            "plan",
            "progress note",
            "chief complaint",
            "exam",
        ],
    ),
]
REFERENCE_RE = re.compile(r"\bUM-?([A-HJ-NP-Z2-9]{8})\b")


def page_text(page: "Page") -> str:
    return "\n".join(" ".join(w.text for w in line.words) for line in page.lines)


def form_score(page: "Page") -> int:
    text = page_text(page).lower()
    return sum(1 for m in FORM_MARKERS if m in text)


def page_kind(page: "Page") -> str:
    text = page_text(page).lower()
    if form_score(page) >= 4:
        return "request_form"
    if sum(1 for m in COVER_MARKERS if m in text) >= 3 and len(page.words) < 150:
        return "cover"
    return "other"


def suggest_document_kind(text: str) -> str:
    text = text.lower()
    best, best_score = "other", 0
    for kind, words in DOCUMENT_KIND_KEYWORDS:
        score = sum(text.count(w) for w in words)
        if score > best_score:
            best, best_score = kind, score
    return best


def find_reference(text: str) -> str:
    """A case reference (UM-XXXXXXXX) on a cover page: the fax answers that case."""
    match = REFERENCE_RE.search(text.upper().replace("UM -", "UM-").replace("UM—", "UM-"))
    return f"UM-{match[1]}" if match else ""
