"""Shared IRR test data: two small criteria sets, three vignettes with known reference answers,
and decided cases whose nurse answered the criteria (rows written directly with the ORM)."""

from datetime import date

from determinations.models import LineDecision
from quality.models import Vignette, VignetteAnswer
from review.models import CriteriaSet, Criterion, CriterionAnswer, NurseReview
from tests.reports.conftest import determine, local, make

M, N, D = "met", "not_met", "not_documented"
AP, NA = "approve", "not_approve"


def criteria_set(slug: str, codes=("72148",)) -> CriteriaSet:
    cs = CriteriaSet.objects.create(slug=slug, name=slug.title(), codes=list(codes))
    for n in (1, 2):
        Criterion.objects.create(criteria_set=cs, sequence=n, text=f"{slug} criterion {n}")
    return cs


def vignette(title: str, cs: CriteriaSet, answers: list[str], decision: str) -> Vignette:
    v = Vignette.objects.create(
        title=title, text=f"Synthetic story {title}.", criteria_set=cs, reference_decision=decision
    )
    for criterion, answer in zip(cs.criteria.order_by("sequence"), answers, strict=True):
        VignetteAnswer.objects.create(vignette=v, criterion=criterion, answer=answer)
    return v


def decided_case(
    coverage, cs: CriteriaSet, *, nurse, director, answers, outcome, category="imaging"
):
    """A decided case: a nurse's completed review with its criteria answers, and a physician's
    line decision."""
    status = "approved" if outcome == "approved" else "denied"
    decided = local(2025, 3, 4, 9)
    case = make(coverage, status=status, decided=decided, category_code=category)
    line = case.service_lines.get()
    review = NurseReview.objects.create(
        care_request=case, nurse=nurse, completed_at=decided, recommendation="refer"
    )
    for criterion, answer in zip(cs.criteria.order_by("sequence"), answers, strict=True):
        CriterionAnswer.objects.create(
            nurse_review=review,
            service_line=line,
            criteria_set=cs,
            criterion=criterion,
            answer=answer,
        )
    d = determine(case, source="physician", by=director, outcome=status, at=decided)
    LineDecision.objects.create(determination=d, service_line=line, outcome=outcome)
    return case


DUE = date(2025, 3, 31)
