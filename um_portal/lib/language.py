"""Telling English text from Spanish text, for Spanish member letters (issue 18).

A physician may write a rationale in English; a Spanish letter must then say so and offer a
translation. No language-detection library: the texts are short and only ever English or
Spanish, so the share of each language's commonest function words decides. The word lists leave
out words both languages use ("a", "no", "me", "he" is English only, "de" Spanish only).
"""

import re

ENGLISH_STOPWORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "in",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "for",
        "with",
        "on",
        "at",
        "by",
        "from",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "you",
        "your",
        "we",
        "our",
        "they",
        "their",
        "he",
        "she",
        "his",
        "her",
        "not",
        "have",
        "has",
        "had",
        "will",
        "would",
        "should",
        "could",
        "can",
        "may",
        "must",
        "if",
        "or",
        "an",
        "as",
        "but",
        "which",
        "who",
        "what",
        "when",
        "there",
        "here",
        "than",
        "then",
        "also",
        "only",
        "any",
        "all",
        "been",
        "being",
        "do",
        "does",
        "did",
        "about",
        "into",
        "over",
        "under",
        "after",
        "before",
        "because",
        "such",
        "please",
    ]
)
SPANISH_STOPWORDS = frozenset(
    [
        "el",
        "la",
        "los",
        "las",
        "de",
        "del",
        "y",
        "en",
        "que",
        "es",
        "son",
        "fue",
        "por",
        "para",
        "con",
        "su",
        "sus",
        "un",
        "una",
        "unos",
        "unas",
        "se",
        "lo",
        "le",
        "les",
        "al",
        "no",
        "más",
        "como",
        "pero",
        "este",
        "esta",
        "estos",
        "estas",
        "ese",
        "esa",
        "usted",
        "ustedes",
        "nos",
        "nuestro",
        "nuestra",
        "nuestros",
        "cuando",
        "donde",
        "porque",
        "muy",
        "sin",
        "sobre",
        "entre",
        "también",
        "hasta",
        "desde",
        "ya",
        "o",
        "ni",
    ]
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def english_share(text: str) -> tuple[int, int, int]:
    """(words, English function words, Spanish function words) in `text`."""
    words = [w.lower() for w in _WORD.findall(text or "")]
    english = sum(w in ENGLISH_STOPWORDS for w in words)
    spanish = sum(w in SPANISH_STOPWORDS for w in words)
    return len(words), english, spanish


def looks_english(text: str) -> bool:
    """True when `text` reads as English: more English than Spanish function words, and at
    least two of them (a name or a code alone is neither)."""
    _, english, spanish = english_share(text)
    return english >= 2 and english > spanish
