"""The Spanish part of the letter check (issue 18): a Spanish member letter is Spanish throughout.

Two things refuse one, both reported as "Spanish wording missing" (the letters page then offers a
resend, since the fix is a translation, not a new decision):
- its fixed parts are English: the text of its templates, with the variable parts taken out
  ({{ ... }}, {% ... %}, comments, elements marked lang="en", the multilingual taglines), read
  sentence by sentence for English function words. The templates, not the rendered letter, are
  read so that a member's or plan's name ("Plan of the Valley") never counts as fixed text;
- a service, criteria set or criterion shown in English because it has no Spanish wording yet
  (determinations.services.spanish marks it data-untranslated).
"""

import re

from django.template.loader import get_template

from um_portal.lib.language import looks_english

SPANISH_MISSING = "Spanish wording missing"
_EXTENDS_OR_INCLUDE = re.compile(r"{%\s*(?:extends|include)\s+[\"']([^\"']+)[\"']")
_COMMENT_BLOCK = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)
_TAG = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)
_ENGLISH_ELEMENT = re.compile(r"<(\w+)[^>]*\blang=\"en\"[^>]*>.*?</\1>", re.S)
_TAGLINES = re.compile(r"<section[^>]*class=\"taglines\".*?</section>", re.S)
_STYLE = re.compile(r"<style.*?</style>", re.S)
_HTML = re.compile(r"<[^>]+>")
_SENTENCE = re.compile(r"(?<=[.!?:;])\s+|\n")
_UNTRANSLATED = re.compile(r"<span[^>]*data-untranslated[^>]*>(.*?)</span>", re.S)


def spanish_problems(html: str, template: str) -> list[str]:
    """What keeps a rendered Spanish letter (`template` is its template's name) from being
    Spanish throughout; [] when nothing does."""
    problems = [
        f"{SPANISH_MISSING} (English fixed text in {name}: «{sentence[:60]}»)"
        for name, sentence in english_fixed_text(template)
    ]
    for english in _UNTRANSLATED.findall(html):
        problems.append(f"{SPANISH_MISSING} (no Spanish for «{_HTML.sub('', english)[:60]}»)")
    return problems


def english_fixed_text(template: str) -> list[tuple[str, str]]:
    """(template name, sentence) for each English sentence in the fixed text of `template` and
    the templates it extends or includes by name."""
    found = []
    for name in _template_tree(template):
        for sentence in _fixed_sentences(_source(name)):
            if looks_english(sentence):
                found.append((name, sentence))
    return found


def _template_tree(template: str) -> list[str]:
    seen: list[str] = []
    todo = [template]
    while todo:
        name = todo.pop()
        if name in seen or "taglines" in name:  # the taglines speak every language on purpose
            continue
        seen.append(name)
        todo += _EXTENDS_OR_INCLUDE.findall(_source(name))
    return seen


def _source(name: str) -> str:
    # Django's cached template loader keeps the compiled template and its source.
    return get_template(name).template.source


def _fixed_sentences(source: str) -> list[str]:
    text = _COMMENT_BLOCK.sub(" ", source)
    text = _STYLE.sub(" ", text)
    text = _TAGLINES.sub(" ", text)
    text = _ENGLISH_ELEMENT.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = _HTML.sub("\n", text)
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]
