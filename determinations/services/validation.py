"""Checks on a director's per-line decision input, before anything is written."""

import re
from dataclasses import dataclass
from datetime import date

from intake.models import ServiceLine
from review.models import CriteriaSet, Criterion
from um_portal.lib.template_formats import day

from ..models import DenialReason, LineDecision

RATIONALE_MIN_CHARS = 60
RATIONALE_MIN_WORDS = 10
# Procedure (CPT, HCPCS) and diagnosis (ICD-10-CM) code shapes: the rationale is copied into the
# member's letter, which must explain things in words, never with bare codes.
CODE_TOKEN = re.compile(
    r"\b(?:\d{4}[0-9FTU]|[A-V]\d{4}|[A-TV-Z]\d{2}(?:\.[0-9A-Z]{1,4})?)\b", re.IGNORECASE
)
WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)

ADVERSE = {LineDecision.Outcome.DENIED, LineDecision.Outcome.MODIFIED}


@dataclass(frozen=True)
class LineDecisionInput:
    """The director's decision on one service line.

    approved: units and dates as requested. modified: fewer units and/or a shorter period within
    the request. denied: nothing approved. Modified and denied lines are adverse and need a reason
    code, a plain-language rationale and (for medical-necessity reasons) a current criteria set
    and the one criterion of it that is not met.
    """

    service_line: ServiceLine
    outcome: str
    approved_units: int | None = None
    approved_start: date | None = None
    approved_end: date | None = None
    reason_code: str = ""
    rationale: str = ""
    criteria_set: CriteriaSet | None = None
    # The one criterion of criteria_set the adverse decision rests on (the letters cite it).
    criterion: Criterion | None = None


def rationale_errors(text: str, reason: DenialReason | None = None) -> list[str]:
    """Why a rationale is not a plain-language explanation, or [] when it is."""
    text = (text or "").strip()
    if not text:
        return ["Explain the decision in plain language for the member and the provider."]
    errors = []
    if CODE_TOKEN.search(text):
        errors.append(
            "Describe services and conditions in words: the member's letter must not show bare "
            "procedure or diagnosis codes."
        )
    words = WORD.findall(text)
    if len(text) < RATIONALE_MIN_CHARS or len(words) < RATIONALE_MIN_WORDS:
        errors.append(
            f"Write at least {RATIONALE_MIN_WORDS} words ({RATIONALE_MIN_CHARS} characters) "
            "about this member's situation."
        )
    if reason is not None and text.lower().rstrip(".") in {
        reason.code.lower(),
        reason.label.lower(),
    }:
        errors.append("Say why, for this member; the reason code alone is not a rationale.")
    return errors


def line_input_errors(
    item: LineDecisionInput, reasons: dict[str, DenialReason]
) -> dict[str, list[str]]:
    """Field errors for one line, keyed by field name."""
    line = item.service_line
    errors: dict[str, list[str]] = {}
    if item.outcome not in {
        LineDecision.Outcome.APPROVED,
        LineDecision.Outcome.MODIFIED,
        LineDecision.Outcome.DENIED,
    }:
        return {"outcome": ["Choose approve, approve with changes, or deny."]}
    if item.outcome == LineDecision.Outcome.MODIFIED:
        units, start, end = item.approved_units, item.approved_start, item.approved_end
        if units is None or start is None or end is None:
            errors["approved_units"] = ["Give the approved units and dates."]
        else:
            if not 1 <= units <= line.units:
                errors["approved_units"] = [f"Approve between 1 and {line.units} units."]
            if start < line.start_date or end > line.end_date or end < start:
                errors["approved_end"] = [
                    f"The approved period must lie within {day(line.start_date)} – "
                    f"{day(line.end_date)}."
                ]
            if (
                not errors
                and units == line.units
                and (start, end) == (line.start_date, line.end_date)
            ):
                errors["outcome"] = [
                    "Nothing was reduced: choose approve as requested, or change the units or "
                    "dates."
                ]
    if item.outcome in ADVERSE:
        reason = reasons.get(item.reason_code)
        if reason is None:
            errors["reason_code"] = ["Choose the reason for the denial or reduction."]
        rationale = rationale_errors(item.rationale, reason)
        if rationale:
            errors["rationale"] = rationale
        if item.criteria_set is None:
            if reason is None or reason.requires_criterion:
                errors["criteria_set"] = ["Choose the criteria the decision rests on."]
        elif not item.criteria_set.is_current:
            errors["criteria_set"] = ["Choose a current version of the criteria."]
        elif item.criterion is None:
            # The letter must say which requirement is not met, not recite the whole set.
            errors["criterion"] = ["Choose the criterion of this set that is not met."]
        elif item.criterion.criteria_set_id != item.criteria_set.pk:
            errors["criterion"] = [
                f"Choose a criterion of {item.criteria_set.name} (version "
                f"{item.criteria_set.version})."
            ]
    return errors
