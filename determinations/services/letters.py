"""What a letter says: its context and its HTML (the check that refuses an incomplete one is
letter_check)."""

from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from review.models import CriteriaSet

from ..models import AppealPolicy, AppealTurnaround, DenialReason, Letter, LineDecision
from ..selectors import DEFAULT_APPEAL_DAYS
from .letter_check import (  # noqa: F401 (the letter check is imported from here too)
    LetterIncomplete,
    letter_check,
    letter_expectations,
    template_name,
)
from .spanish import (
    criteria_set_es,
    criteria_translations,
    criterion_es,
    rationale_es,
    service_es,
    service_names_es,
)
from .taglines import taglines

# Context for letters another app owns (the appeals app's acknowledgement and decision):
# registered at start-up, because determinations must not import appeals (ADR 0005).
_context_extensions: dict[str, Callable[[Letter, dict], dict]] = {}


def register_letter_context(template: str, extend: Callable[[Letter, dict], dict]) -> None:
    """`extend(letter, context)` returns what to add to the context of letters of `template`."""
    _context_extensions[template] = extend


def letter_html(letter: Letter) -> str:
    return letter_html_and_context(letter)[0]


def letter_html_and_context(letter: Letter) -> tuple[str, dict]:
    """The letter's HTML and the context it was rendered from (the check compares the two)."""
    if letter.template == Letter.Template.EXTENSION:
        # Imported here: the notice module uses this one's helpers.
        from .extension_notice import extension_letter_context

        context = extension_letter_context(letter, absolute_url=absolute_url)
    else:
        context = letter_context(letter)
    extend = _context_extensions.get(letter.template)
    if extend is not None:
        context.update(extend(letter, context))
    with translation.override(context["lang"]):
        html = render_to_string(
            template_name(letter.template, letter.recipient, context["lang"]), context
        )
    return html, context


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
    criteria, sets = _criteria(determination)
    lines = []
    provider_letter = letter.recipient != Letter.Recipient.MEMBER
    decisions = list(determination.line_decisions.select_related("service_line__category"))
    # Spanish member letters are Spanish throughout (issue 18): names from the translations.
    spanish = lang == "es" and not provider_letter
    names_es = service_names_es([ld.service_line for ld in decisions]) if spanish else {}
    translations = criteria_translations(criteria) if spanish else {}
    if spanish:
        criteria = {
            key: criteria_set_es(value, sets.get(key), translations)
            for key, value in criteria.items()
        }
    for ld in decisions:
        line = ld.service_line
        reason = reasons.get(ld.reason_code)
        crit = criteria.get((ld.criteria_set_slug, ld.criteria_set_version))
        lines.append(
            {
                "decision": ld,
                "line": line,
                # Words a member can tell the lines apart by: never a bare code, and the
                # catalogue's name rather than the category's when none was stored.
                "service": service_es(line, names_es)
                if spanish
                else line.plain_description or line.category.name,
                "adverse": ld.outcome
                in (LineDecision.Outcome.DENIED, LineDecision.Outcome.MODIFIED),
                "approved": ld.outcome
                in (LineDecision.Outcome.APPROVED, LineDecision.Outcome.MODIFIED),
                "reason": reason,
                "reason_text": _reason_text(reason, lang=lang, provider=provider_letter),
                "criteria_set": crit,
                "provision": ld.plan_provision,
                # The one criterion the decision rests on, in the words of its reader.
                "criterion": criterion_es(ld, sets, translations)
                if spanish
                else (ld.criterion_text if provider_letter else ld.criterion_plain)
                if ld.criterion_sequence is not None
                else "",
                # A Spanish letter marks an English rationale and offers a translation.
                "rationale": rationale_es(ld.rationale) if spanish else None,
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
            "address": plan.appeals_address
            or ("nuestra Unidad de Apelaciones" if lang == "es" else "our Appeals Unit"),
            "url": absolute_url(reverse("portal:appeal_new", args=[case.pk])),
        },
        "p2p": {
            "phone": getattr(settings, "UM_P2P_PHONE", "1-800-555-0142"),
            "days": 14,
            # Letters are read on paper and in mail clients: every link is absolute.
            "url": absolute_url(reverse("scheduling:portal_request", args=[case.pk])),
        },
        "case_url": absolute_url(reverse("portal:case", args=[case.pk])),
        # The member's own page of the request (members app): the decision, the letters, an
        # appeal and a rating of how the request was handled.
        "member_url": absolute_url(reverse("members:request", args=[case.pk])),
        "member_services_phone": plan.member_services_phone,
        "tty": "711",
        "taglines": taglines(phone=plan.member_services_phone),
    }


def absolute_url(path: str) -> str:
    """An address for a letter: SITE_URL (the one setting e-mails use too) + path."""
    return settings.SITE_URL.rstrip("/") + path


# Used when an admin-added reason has no provider wording: neutral, never "for you".
PROVIDER_REASON_FALLBACK = "The reason for this decision is explained below."


def _reason_text(reason: DenialReason | None, *, lang: str, provider: bool) -> str:
    """The reason in plain words for the letter's reader: the member's own wording ("for
    you") in a member letter, the wording about the patient in the provider's letter."""
    if reason is None:
        return ""
    if provider:
        return reason.plain_language_provider or PROVIDER_REASON_FALLBACK
    return reason.plain_language_es if lang == "es" else reason.plain_language


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


def _criteria(determination) -> tuple[dict, dict]:
    """The criteria sets cited, with their plain-language summary and criteria, keyed by
    (slug, version): the letter explains the version the decision used, not today's. Also the
    CriteriaSet rows by the same key (a Spanish letter reads their Spanish fields)."""
    keys = {
        (ld.criteria_set_slug, ld.criteria_set_version)
        for ld in determination.line_decisions.all()
        if ld.criteria_set_slug
    }
    found = {}
    sets = {}
    for cs in CriteriaSet.objects.filter(slug__in={k[0] for k in keys}).prefetch_related(
        "criteria"
    ):
        if (cs.slug, cs.version) in keys:
            sets[(cs.slug, cs.version)] = cs
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
    return found, sets
