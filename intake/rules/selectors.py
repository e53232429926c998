"""Reading back what the engine did on a case, for the intake and review pages.

The caller has already checked that the user may see `case` (staff views load it through their
own scoped selectors); these add nothing a provider may see.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.urls import NoReverseMatch, reverse

from ..models import CareRequest, DuplicateFlag, RuleEvaluation


def rule_evaluation_list_for_case(case: CareRequest) -> list[RuleEvaluation]:
    """Every evaluation of the case, newest first (one query)."""
    return list(
        RuleEvaluation.objects.filter(care_request=case).select_related("queue").order_by("-at")
    )


@dataclass(frozen=True)
class DuplicateMatch:
    flag: DuplicateFlag
    other: CareRequest  # the other request of the pair, seen from `case`
    url: str | None  # the other case's intake page, when that page exists


def _case_url(other: CareRequest) -> str | None:
    try:
        return reverse("intake:case", args=[other.pk])
    except NoReverseMatch:
        return None


def care_request_duplicates(case: CareRequest) -> list[DuplicateMatch]:
    """Possible duplicates of the case, whichever of the two was flagged (one query)."""
    flags = (
        DuplicateFlag.objects.filter(Q(care_request=case) | Q(other=case))
        .select_related("care_request", "other")
        .order_by("detected_at")
    )
    matches = []
    for flag in flags:
        other = flag.other if flag.care_request_id == case.pk else flag.care_request
        matches.append(DuplicateMatch(flag=flag, other=other, url=_case_url(other)))
    return matches


def rules_panel_context(case: CareRequest) -> dict:
    """What templates/intake/includes/rules_panel.html needs, to merge into a view's context."""
    return {
        "rule_evaluations": rule_evaluation_list_for_case(case),
        "duplicates": care_request_duplicates(case),
    }
