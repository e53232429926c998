"""Spanish member letters are Spanish throughout (issue 18): the Spanish names of services,
criteria sets and criteria, looked up once per letter.

Where no Spanish wording exists, the English one is shown marked "(en inglés)" inside an element
carrying `data-untranslated`; the letter check (english_text) refuses such a letter as "Spanish
wording missing", so a person adds the translation in the admin and sends the letter again.
"""

from django.utils.html import escape

from intake.models import ServiceTranslation
from review.models import CriteriaSet, Criterion
from um_portal.lib.language import looks_english


class Wording(str):
    """Text for a Spanish letter; `missing` when it is the English text standing in. A str, so
    the letter check compares it like any other text; in a template it shows the English
    marked "(en inglés)" in an element the letter check finds."""

    missing: bool

    def __new__(cls, text: str, missing: bool = False):
        wording = super().__new__(cls, text or "")
        wording.missing = missing
        return wording

    def __html__(self) -> str:
        if not self.missing:
            return str(escape(str(self)))
        return f'<span lang="en" data-untranslated="1">{escape(str(self))}</span> (en inglés)'


def service_names_es(lines) -> dict:
    """{(code_system, code): Spanish name} for the lines' codes (one query)."""
    codes = {(line.code_system, line.code.upper()) for line in lines}
    if not codes:
        return {}
    rows = ServiceTranslation.objects.filter(code__in={c for _, c in codes})
    return {(r.code_system, r.code.upper()): r.name_es for r in rows}


def service_es(line, names: dict) -> Wording:
    """The service of a line in Spanish: its code's translation; the category's Spanish name
    when the line has no description of its own; else the English words, marked."""
    name = names.get((line.code_system, line.code.upper()))
    if name:
        return Wording(name)
    english = line.plain_description
    if not english and line.category.name_es:
        return Wording(line.category.name_es)
    return Wording(english or line.category.name, missing=True)


def criteria_set_es(criteria_set: dict, cs: CriteriaSet | None) -> dict:
    """A criteria set's letter entry (see letters._criteria) in Spanish."""
    if cs is None:  # a deleted set: only the English name is on record
        return {**criteria_set, "name": Wording(criteria_set["name"], missing=True)}
    return {
        **criteria_set,
        "name": Wording(cs.name_es) if cs.name_es else Wording(cs.name, missing=True),
        "summary": Wording(cs.summary_es)
        if cs.summary_es or not cs.summary
        else Wording(cs.summary, missing=True),
        "criteria": [
            Wording(c.plain_language_es)
            if c.plain_language_es
            else Wording(c.plain_language or c.text, missing=True)
            for c in cs.criteria.all()
        ],
    }


def criterion_es(decision, sets: dict) -> Wording:
    """The one criterion a line's decision rests on, in Spanish, from the version it cited."""
    if decision.criterion_sequence is None:
        return Wording("")
    cs = sets.get((decision.criteria_set_slug, decision.criteria_set_version))
    criterion: Criterion | None = None
    if cs is not None:
        criterion = next(
            (c for c in cs.criteria.all() if c.sequence == decision.criterion_sequence), None
        )
    if criterion is not None and criterion.plain_language_es:
        return Wording(criterion.plain_language_es)
    return Wording(decision.criterion_plain or decision.criterion_text, missing=True)


def rationale_es(rationale: str) -> dict:
    """The physician's rationale for a Spanish letter: shown as written, and when written in
    English, marked as such with the free translation by phone offered beside it."""
    return {"text": rationale, "english": looks_english(rationale)}
