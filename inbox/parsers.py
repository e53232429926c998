"""Turning the words OCR read for a field into the field's value: dates, phones, NPIs, member IDs,
ICD-10 and CPT/HCPCS codes, names; fixing the look-alike characters a fax produces ("O" for 0,
"S" for 5) where the field's format says which one it must be. Pure string work.
"""

import re

from um_portal.lib.npi import is_valid_npi

from .ocr import Word

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
