"""The letter check: a letter that lacks what the regulations require is never issued.

Two layers. Every letter kind has sections (data-section="...") that must be present and say
something. An adverse letter must also carry, for each denied or reduced service, the service's
name, its own specific reason and the one criterion it rests on; and the provider's letter must
speak about the patient and link with absolute addresses only (letters are read on paper and in
mail clients, where "/portal/..." leads nowhere).
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.template.loader import render_to_string

from ..models import Letter

ADVERSE_SECTIONS = [
    "decision",
    "denied_services",
    "reason",
    "criteria",
    "reviewer",
    "peer_to_peer",
    "appeal_rights",
    "expedited_appeal",
    "free_copies",
    "contact",
]
# An administrative denial (benefit, eligibility, network) cites the plan provision, not
# criteria; it names who decided, and offers no peer-to-peer (no clinical judgement to discuss).
ADMIN_SECTIONS = [
    "decision",
    "denied_services",
    "reason",
    "provision",
    "decided_by",
    "appeal_rights",
    "expedited_appeal",
    "free_copies",
    "contact",
]
REQUIRED_SECTIONS = {
    Letter.Template.DENIAL: ADVERSE_SECTIONS,
    Letter.Template.ADMIN_DENIAL: ADMIN_SECTIONS,
    Letter.Template.PARTIAL: [*ADVERSE_SECTIONS, "approved_services", "auth_number"],
    Letter.Template.APPROVAL: ["decision", "approved_services", "auth_number", "contact"],
    Letter.Template.NOT_REQUIRED: ["decision", "contact"],
    Letter.Template.APPEAL_ACK: ["acknowledgement", "appealed_services", "due", "contact"],
    Letter.Template.APPEAL_DECISION: [
        "decision",
        "line_outcomes",
        "reviewer",
        "next_level",
        "free_copies",
        "contact",
    ],
    # 29 CFR 2560.503-1(f)(3): why, the date the decision is now due, what is needed.
    Letter.Template.EXTENSION: ["notice", "reason", "new_due", "needed", "contact"],
}
# Appeal letters carry the outcome of denied lines only when something stays denied.
APPEAL_ADVERSE_SECTIONS = ["reason", "criteria"]
# Sections whose text must carry a number: the appeal deadline, the authorization number.
NEEDS_DIGIT = {"appeal_rights", "auth_number", "peer_to_peer", "contact", "due", "new_due"}


class LetterIncomplete(Exception):
    """The letter lacks a section the regulations require; it must not be issued."""

    def __init__(self, missing: list[str]):
        # determinations.services.attention recognises a refused letter by this opening.
        super().__init__("Letter check failed; missing or empty: " + ", ".join(missing))
        self.missing = missing


class _Sections(HTMLParser):
    """Collects the visible text of every element marked data-section="name"."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str | None] = []
        self.text: dict[str, str] = {}
        self.all_text: list[str] = []
        self.hrefs: list[str] = []

    VOID = {"br", "img", "meta", "link", "hr", "input", "col", "wbr"}

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        attributes = dict(attrs)
        if tag == "a" and attributes.get("href") is not None:
            self.hrefs.append(attributes["href"])
        name = attributes.get("data-section")
        self.stack.append(name)
        if name:
            self.text.setdefault(name, "")

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        self.all_text.append(data)
        for name in self.stack:
            if name:
                self.text[name] += data


def letter_check(
    html_or_context,
    kind: str,
    *,
    recipient: str = "provider",
    forbidden_codes=(),
    expect: "list[LineExpectation] | None" = None,
) -> None:
    """Raise LetterIncomplete unless every section the letter kind requires is present and
    says something (a denial: decision, services, reason, criteria, reviewer, peer-to-peer,
    appeal rights with the deadline, expedited appeals, free copies, contact). A member letter
    must also carry the language taglines and must not show bare procedure codes; a provider
    letter must not address the member ("for you") nor link relatively. `expect` (from
    letter_expectations) names what each line must show; a context dict brings its own."""
    html = html_or_context
    if isinstance(html_or_context, dict):
        html = render_to_string(
            template_name(kind, recipient, html_or_context["lang"]), html_or_context
        )
        if expect is None:
            expect = letter_expectations(html_or_context)
    parser = _Sections()
    parser.feed(html)
    required = list(REQUIRED_SECTIONS[kind])
    if kind == Letter.Template.APPEAL_DECISION and "data-still-denied" in html:
        required += APPEAL_ADVERSE_SECTIONS
    if recipient == Letter.Recipient.MEMBER:
        required.append("taglines")
    missing = []
    for name in required:
        text = _squash(parser.text.get(name, ""))
        if len(text) < 10 or (name in NEEDS_DIGIT and not re.search(r"\d", text)):
            missing.append(name)
    visible = " ".join(parser.all_text)
    for code in forbidden_codes:
        if len(code) >= 4 and re.search(rf"\b{re.escape(code)}\b", visible):
            missing.append(f"no bare procedure code ({code})")
    if recipient != Letter.Recipient.MEMBER:
        missing += _provider_problems(parser, visible)
    if kind == Letter.Template.ADMIN_DENIAL and any(line.approved for line in expect or []):
        # Administrative denials beside approved lines: the approval's parts too.
        for name in ("approved_services", "auth_number"):
            text = _squash(parser.text.get(name, ""))
            if len(text) < 10 or (name in NEEDS_DIGIT and not re.search(r"\d", text)):
                missing.append(name)
    missing += _line_problems(parser, kind, required, expect or [])
    if kind == Letter.Template.ADMIN_DENIAL and MEDICAL_NECESSITY.search(visible):
        missing.append("no medical-necessity wording in an administrative denial")
    if recipient == Letter.Recipient.MEMBER and '<html lang="es">' in html:
        # Imported here: english_text reads templates through Django's loader.
        from .english_text import spanish_problems

        missing += spanish_problems(html, template_name(kind, recipient, "es"))
    if missing:
        raise LetterIncomplete(missing)


@dataclass(frozen=True)
class LineExpectation:
    """What the letter must say about one service line."""

    sequence: int
    service: str
    adverse: bool
    reason: str = ""  # the reason's plain words for this reader
    rationale: str = ""  # the reviewer's explanation for this member
    criterion: str = ""  # the one criterion the decision rests on
    needs_criterion: bool = False
    approved: bool = False
    provision: str = ""  # an administrative denial's plan provision
    extra: dict = field(default_factory=dict, compare=False)


def letter_expectations(context: dict) -> list[LineExpectation]:
    """Per line, what the letter built from `context` must show (see letter_check)."""
    out = []
    for x in context.get("lines", []):
        reason = x.get("reason")
        decision = x["decision"]
        out.append(
            LineExpectation(
                sequence=x["line"].sequence,
                service=x["service"],
                adverse=x["adverse"],
                approved=x["approved"],
                provision=x.get("provision", ""),
                reason=x.get("reason_text", ""),
                rationale=decision.rationale,
                criterion=x.get("criterion", ""),
                needs_criterion=bool(
                    x["adverse"]
                    and (decision.criteria_set_slug or (reason and reason.requires_criterion))
                ),
            )
        )
    return out


# Where each letter kind names its denied and its approved services.
ADVERSE_LIST = {
    "denial": "denied_services",
    "partial": "denied_services",
    "admin_denial": "denied_services",
}
MEDICAL_NECESSITY = re.compile(r"medical(?:ly)? necess|médicamente necesari|necesidad médica", re.I)
APPROVED_LIST = {
    "approval": "approved_services",
    "partial": "approved_services",
    "admin_denial": "approved_services",
}
# A provider letter about a member never says "you" to the member (issue 14).
MEMBER_ADDRESS = re.compile(r"\b(?:for you|your condition|your plan|your doctor)\b", re.I)
# A path written out without scheme and host: "/portal/requests/...".
RELATIVE_LINK = re.compile(r"(?<![\w:/.])/(?:portal|scheduling|review|intake|api|appeals)/")


def _provider_problems(parser: "_Sections", visible: str) -> list[str]:
    problems = []
    for name in ("reason", "criteria", "decision", "notice"):
        if MEMBER_ADDRESS.search(_squash(parser.text.get(name, ""))):
            problems.append(f"provider wording ({name} addresses the member)")
    if RELATIVE_LINK.search(visible) or any(
        not href.startswith(("http://", "https://", "mailto:", "tel:")) for href in parser.hrefs
    ):
        problems.append("absolute links")
    return problems


def _line_problems(
    parser: "_Sections", kind: str, required: list[str], expect: list[LineExpectation]
) -> list[str]:
    """Each service named where its decision is given; each adverse one with its reason,
    the rationale and the criterion it rests on."""
    text = {name: _squash(value) for name, value in parser.text.items()}
    adverse_list = ADVERSE_LIST.get(kind, "line_outcomes" if "reason" in required else "")
    problems = []
    for line in expect:
        where = f"line {line.sequence}"
        if not line.service:
            problems.append(f"service name ({where})")
            continue
        service = _squash(line.service)
        if line.adverse and adverse_list:
            if service not in text.get(adverse_list, ""):
                problems.append(f"service name ({where}) in {adverse_list}")
            reason_text = text.get("reason", "")
            if service not in reason_text:
                problems.append(f"specific reason ({where}): the service is not named")
            if not line.reason or _squash(line.reason) not in reason_text:
                problems.append(f"specific reason ({where})")
            if len(_squash(line.rationale)) < 10 or _squash(line.rationale) not in reason_text:
                problems.append(f"rationale ({where})")
            if "provision" in required and (
                not line.provision or _squash(line.provision) not in text.get("provision", "")
            ):
                problems.append(f"plan provision ({where})")
            if line.needs_criterion and (
                not line.criterion or _squash(line.criterion) not in text.get("criteria", "")
            ):
                problems.append(f"criterion ({where})")
        elif (
            line.approved
            and kind in APPROVED_LIST
            and service not in text.get(APPROVED_LIST[kind], "")
        ):
            problems.append(f"service name ({where}) in {APPROVED_LIST[kind]}")
    return problems


def _squash(text: str) -> str:
    return " ".join((text or "").split())


def template_name(kind: str, recipient: str, lang: str) -> str:
    if recipient == Letter.Recipient.MEMBER:
        lang = lang if lang in ("en", "es") else "en"
        return f"letters/member/{lang}/{kind}.html"
    return f"letters/provider/{kind}.html"
