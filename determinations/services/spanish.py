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


def criteria_translations(cited: dict) -> dict:
    """English wording → Spanish across every version of the cited sets' slugs (one query).

    Saving a translation in the admin publishes a new version, while a letter cites the
    version its decision used. A translation of the very same English words in another version
    is a translation of what this decision relied on, so the letter may use it: that is what
    lets a refused letter pass once someone adds the Spanish and sends it again."""
    slugs = {slug for slug, _ in cited}
    found: dict[str, str] = {}
    if not slugs:
        return found
    for cs in CriteriaSet.objects.filter(slug__in=slugs).prefetch_related("criteria"):
        for english, spanish in (
            (cs.name, cs.name_es),
            (cs.summary, cs.summary_es),
            *((c.plain_language or c.text, c.plain_language_es) for c in cs.criteria.all()),
        ):
            if english and spanish:
                found.setdefault(_key(english), spanish)
    return found


def _key(text: str) -> str:
    return " ".join((text or "").split())


def _es(english: str, own: str, translations: dict) -> Wording:
    """`own` Spanish wording, else a translation of the same English words, else the English
    marked missing."""
    spanish = own or translations.get(_key(english), "")
    if spanish or not english:
        return Wording(spanish)
    return Wording(english, missing=True)


def criteria_set_es(criteria_set: dict, cs: CriteriaSet | None, translations: dict) -> dict:
    """A criteria set's letter entry (see letters._criteria) in Spanish."""
    if cs is None:  # a deleted set: only the English name is on record
        return {**criteria_set, "name": _es(criteria_set["name"], "", translations)}
    return {
        **criteria_set,
        "name": _es(cs.name, cs.name_es, translations),
        "summary": _es(cs.summary, cs.summary_es, translations),
        "criteria": [
            _es(c.plain_language or c.text, c.plain_language_es, translations)
            for c in cs.criteria.all()
        ],
    }


def criterion_es(decision, sets: dict, translations: dict) -> Wording:
    """The one criterion a line's decision rests on, in Spanish, from the version it cited."""
    if decision.criterion_sequence is None:
        return Wording("")
    cs = sets.get((decision.criteria_set_slug, decision.criteria_set_version))
    criterion: Criterion | None = None
    if cs is not None:
        criterion = next(
            (c for c in cs.criteria.all() if c.sequence == decision.criterion_sequence), None
        )
    own = criterion.plain_language_es if criterion is not None else ""
    return _es(decision.criterion_plain or decision.criterion_text, own, translations)


def rationale_es(rationale: str) -> dict:
    """The physician's rationale for a Spanish letter: shown as written, and when written in
    English, marked as such with the free translation by phone offered beside it."""
    return {"text": rationale, "english": looks_english(rationale)}
