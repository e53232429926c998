"""What a letter says: its context, its HTML, and the check that refuses an incomplete one."""

import re
from collections.abc import Callable
from datetime import timedelta
from html.parser import HTMLParser

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from review.models import CriteriaSet

from ..models import AppealPolicy, AppealTurnaround, DenialReason, Letter, LineDecision
from ..selectors import DEFAULT_APPEAL_DAYS
from .taglines import taglines

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
REQUIRED_SECTIONS = {
    Letter.Template.DENIAL: ADVERSE_SECTIONS,
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
}
# Appeal letters carry the outcome of denied lines only when something stays denied.
APPEAL_ADVERSE_SECTIONS = ["reason", "criteria"]
# Sections whose text must carry a number: the appeal deadline, the authorization number.
NEEDS_DIGIT = {"appeal_rights", "auth_number", "peer_to_peer", "contact", "due"}

# Context for letters another app owns (the appeals app's acknowledgement and decision):
# registered at start-up, because determinations must not import appeals (ADR 0005).
_context_extensions: dict[str, Callable[[Letter, dict], dict]] = {}


def register_letter_context(template: str, extend: Callable[[Letter, dict], dict]) -> None:
    """`extend(letter, context)` returns what to add to the context of letters of `template`."""
    _context_extensions[template] = extend


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

    VOID = {"br", "img", "meta", "link", "hr", "input", "col", "wbr"}

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        name = dict(attrs).get("data-section")
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
    html_or_context, kind: str, *, recipient: str = "provider", forbidden_codes=()
) -> None:
    """Raise LetterIncomplete unless every section the letter kind requires is present and
    says something (a denial: decision, services, reason, criteria, reviewer, peer-to-peer,
    appeal rights with the deadline, expedited appeals, free copies, contact). A member letter
    must also carry the language taglines and must not show bare procedure codes."""
    html = html_or_context
    if isinstance(html_or_context, dict):
        html = render_to_string(
            template_name(kind, recipient, html_or_context["lang"]), html_or_context
        )
    parser = _Sections()
    parser.feed(html)
    required = list(REQUIRED_SECTIONS[kind])
    if kind == Letter.Template.APPEAL_DECISION and "data-still-denied" in html:
        required += APPEAL_ADVERSE_SECTIONS
    if recipient == Letter.Recipient.MEMBER:
        required.append("taglines")
    missing = []
    for name in required:
        text = " ".join(parser.text.get(name, "").split())
        if len(text) < 10 or (name in NEEDS_DIGIT and not re.search(r"\d", text)):
            missing.append(name)
    visible = " ".join(parser.all_text)
    for code in forbidden_codes:
        if len(code) >= 4 and re.search(rf"\b{re.escape(code)}\b", visible):
            missing.append(f"no bare procedure code ({code})")
    if missing:
        raise LetterIncomplete(missing)


def template_name(kind: str, recipient: str, lang: str) -> str:
    if recipient == Letter.Recipient.MEMBER:
        lang = lang if lang in ("en", "es") else "en"
        return f"letters/member/{lang}/{kind}.html"
    return f"letters/provider/{kind}.html"


def letter_html(letter: Letter) -> str:
    context = letter_context(letter)
    extend = _context_extensions.get(letter.template)
    if extend is not None:
        context.update(extend(letter, context))
    with translation.override(context["lang"]):
        return render_to_string(
            template_name(letter.template, letter.recipient, context["lang"]), context
        )


def letter_context(letter: Letter) -> dict:
    """Everything a letter template shows, already in plain words; templates only display."""
    determination = letter.determination
    case = determination.care_request
    plan = case.coverage.plan
    lang = letter.language if letter.recipient == Letter.Recipient.MEMBER else "en"
    decided_on = timezone.localdate(determination.decided_at)
    policy = AppealPolicy.objects.filter(line_of_business=plan.line_of_business).first()
    appeal_days = policy.appeal_days if policy else DEFAULT_APPEAL_DAYS
    reasons = {r.code: r for r in DenialReason.objects.all()}
    criteria = _criteria(determination)
    lines = []
    for ld in determination.line_decisions.select_related("service_line__category"):
        line = ld.service_line
        reason = reasons.get(ld.reason_code)
        crit = criteria.get((ld.criteria_set_slug, ld.criteria_set_version))
        lines.append(
            {
                "decision": ld,
                "line": line,
                "service": line.description or line.category.name,
                "adverse": ld.outcome
                in (LineDecision.Outcome.DENIED, LineDecision.Outcome.MODIFIED),
                "approved": ld.outcome
                in (LineDecision.Outcome.APPROVED, LineDecision.Outcome.MODIFIED),
                "reason": reason,
                "reason_text": (reason.plain_language_es if lang == "es" else reason.plain_language)
                if reason
                else "",
                "criteria_set": crit,
            }
        )
    return {
        "letter": letter,
        "kind": letter.template,
        "lang": lang,
        "recipient": letter.recipient,
        "determination": determination,
        "case": case,
        "member": case.member,
        "coverage": case.coverage,
        "plan": plan,
        "provider": case.requesting_provider,
        "organization": case.provider_organization,
        "letter_date": decided_on,
        "lines": lines,
        "approved_lines": [x for x in lines if x["approved"]],
        "adverse_lines": [x for x in lines if x["adverse"]],
        "criteria": list(criteria.values()),
        "is_expedited": case.priority == "expedited",
        # Retrospective review decides payment for care already given; concurrent review decides
        # the days of a stay in progress (issue 13): the letters say so.
        "is_retrospective": case.request_type == "retrospective",
        "concurrent": _concurrent(determination, lines)
        if case.request_type == "concurrent"
        else None,
        "appeal": {
            "days": appeal_days,
            "deadline": decided_on + timedelta(days=appeal_days),
            **_appeal_turnaround(plan.line_of_business, case.request_type),
            "phone": (policy.appeals_phone if policy else "") or plan.member_services_phone,
            "fax": policy.appeals_fax if policy else "",
            "address": plan.appeals_address or "our Appeals Unit",
        },
        "p2p": {
            "phone": getattr(settings, "UM_P2P_PHONE", "1-800-555-0142"),
            "days": 14,
            "portal_url": getattr(settings, "UM_PUBLIC_BASE_URL", "") + "/portal/",
        },
        "member_services_phone": plan.member_services_phone,
        "tty": "711",
        "taglines": taglines(phone=plan.member_services_phone),
    }


def _appeal_turnaround(line_of_business: str, request_type: str) -> dict:
    """How fast an appeal of this case would be decided (AppealTurnaround; 30 days / 72 hours
    when the admin has no row)."""
    timing = "post_service" if request_type == "retrospective" else "pre_service"
    hours = dict(
        AppealTurnaround.objects.filter(
            line_of_business=line_of_business, service_timing=timing
        ).values_list("priority", "hours")
    )
    return {
        "standard_days": hours.get("standard", 720) // 24,
        "expedited_hours": hours.get("expedited", 72),
    }


def _concurrent(determination, lines: list[dict]) -> dict:
    """The stay's last covered day after this decision: the last approved day, or the day
    before the first day asked when none was approved."""
    approved_ends = [x["decision"].approved_end for x in lines if x["decision"].approved_end]
    if approved_ends:
        last = max(approved_ends)
    else:
        last = min(x["line"].start_date for x in lines) - timedelta(days=1)
    denied_days = sum(
        x["line"].units - (x["decision"].approved_units or 0) for x in lines if x["adverse"]
    )
    return {"last_covered_day": last, "denied_days": denied_days}


def _criteria(determination) -> dict:
    """The criteria sets cited, with their plain-language summary and criteria, keyed by
    (slug, version): the letter explains the version the decision used, not today's."""
    keys = {
        (ld.criteria_set_slug, ld.criteria_set_version)
        for ld in determination.line_decisions.all()
        if ld.criteria_set_slug
    }
    found = {}
    for cs in CriteriaSet.objects.filter(slug__in={k[0] for k in keys}).prefetch_related(
        "criteria"
    ):
        if (cs.slug, cs.version) in keys:
            found[(cs.slug, cs.version)] = {
                "name": cs.name,
                "version": cs.version,
                "summary": cs.summary,
                "criteria": [c.plain_language or c.text for c in cs.criteria.all()],
            }
    for slug, version in keys - found.keys():  # a deleted set: the name is still on record
        ld = next(
            ld
            for ld in determination.line_decisions.all()
            if (ld.criteria_set_slug, ld.criteria_set_version) == (slug, version)
        )
        found[(slug, version)] = {
            "name": ld.criteria_set_name,
            "version": version,
            "summary": "",
            "criteria": [],
        }
    return found
