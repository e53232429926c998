"""Reads for the guided nurse review, and the rule that turns criteria answers into a
recommendation (a pure function, so the page, the services and the tests share it)."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from intake.models import CareRequest, Diagnosis, Document, ServiceLine

from ..models import CriteriaSet, CriterionAnswer, LineJustification, NurseReview
from .criteria import criteria_set_for_line_map

A = CriterionAnswer.Answer
R = NurseReview.Recommendation

# A line's state after the answers, from best to worst.
LINE_MET = "met"
LINE_JUSTIFIED = "justified"  # no criteria set; the nurse recorded a justification
LINE_INCOMPLETE = "incomplete"
LINE_NOT_DOCUMENTED = "not_documented"
LINE_NO_CRITERIA = "no_criteria"  # no criteria set and no justification: refer
LINE_NOT_MET = "not_met"

LINE_LABELS = {
    LINE_MET: "All criteria met",
    LINE_JUSTIFIED: "No criteria set; approval justified",
    LINE_INCOMPLETE: "Criteria not all answered",
    LINE_NOT_DOCUMENTED: "Some criteria not documented",
    LINE_NO_CRITERIA: "No criteria set for this service",
    LINE_NOT_MET: "A criterion is not met",
}
MIN_JUSTIFICATION = 20  # characters: a sentence, not "ok"


@dataclass
class LineOutcome:
    line: ServiceLine
    criteria_set: CriteriaSet | None
    state: str
    answers: dict = field(default_factory=dict)  # criterion pk -> CriterionAnswer
    justification: str = ""

    @property
    def label(self) -> str:
        return LINE_LABELS[self.state]


@dataclass
class ReviewOutcome:
    lines: list[LineOutcome]
    recommendation: str  # R.APPROVE / R.REFER / R.PEND, or "" while incomplete
    # Lines already denied administratively (benefit, eligibility, network): decided, so not
    # reviewed against criteria; approving the others leaves the case partially approved.
    denied_lines: list[ServiceLine] = field(default_factory=list)

    @property
    def can_approve(self) -> bool:
        return self.recommendation == R.APPROVE

    @property
    def criteria_cited(self) -> list[dict]:
        seen: dict[int, dict] = {}
        for o in self.lines:
            if o.criteria_set is not None:
                cs = o.criteria_set
                seen.setdefault(cs.pk, {"slug": cs.slug, "name": cs.name, "version": cs.version})
        return list(seen.values())

    @property
    def justifications(self) -> list[tuple[ServiceLine, str]]:
        return [(o.line, o.justification) for o in self.lines if o.state == LINE_JUSTIFIED]


def line_state(
    criteria_set: CriteriaSet | None, answers: dict[int, CriterionAnswer], justification: str
) -> str:
    if criteria_set is None:
        justified = len(justification.strip()) >= MIN_JUSTIFICATION
        return LINE_JUSTIFIED if justified else LINE_NO_CRITERIA
    given = [answers[c.pk].answer for c in criteria_set.criteria.all() if c.pk in answers]
    if A.NOT_MET in given:
        return LINE_NOT_MET
    if len(given) < len(criteria_set.criteria.all()):
        return LINE_INCOMPLETE
    if A.NOT_DOCUMENTED in given:
        return LINE_NOT_DOCUMENTED
    return LINE_MET


def recommendation_for(states: list[str]) -> str:
    """All met (or justified) → approve; anything unmet or uncovered → refer; otherwise missing
    documentation → pend (the nurse may still refer). Unanswered criteria → no recommendation."""
    if not states:
        return ""
    if LINE_NOT_MET in states or LINE_NO_CRITERIA in states:
        return R.REFER
    if LINE_INCOMPLETE in states:
        return ""
    if LINE_NOT_DOCUMENTED in states:
        return R.PEND
    return R.APPROVE


def review_outcome(
    *,
    lines: list[ServiceLine],
    criteria_map: dict,
    review: NurseReview | None,
) -> ReviewOutcome:
    """Evaluate `review`'s answers (prefetched) against the current criteria of each line."""
    answers_by_line: dict = {}
    justification_by_line: dict = {}
    if review is not None:
        for answer in review.answers.all():
            answers_by_line.setdefault(answer.service_line_id, {})[answer.criterion_id] = answer
        for j in review.justifications.all():
            justification_by_line[j.service_line_id] = j.text
    outcomes = []
    for line in lines:
        criteria_set = criteria_map.get(line.pk)
        answers = answers_by_line.get(line.pk, {})
        if criteria_set is not None:
            # An answer given against an older version of the set does not count.
            answers = {k: v for k, v in answers.items() if v.criteria_set_id == criteria_set.pk}
        justification = justification_by_line.get(line.pk, "")
        outcomes.append(
            LineOutcome(
                line=line,
                criteria_set=criteria_set,
                state=line_state(criteria_set, answers, justification),
                answers=answers,
                justification=justification,
            )
        )
    return ReviewOutcome(
        lines=outcomes, recommendation=recommendation_for([o.state for o in outcomes])
    )


def _review_qs():
    return NurseReview.objects.select_related("nurse").prefetch_related(
        Prefetch(
            "answers",
            queryset=CriterionAnswer.objects.select_related("criterion", "criteria_set"),
        ),
        Prefetch("justifications", queryset=LineJustification.objects.all()),
    )


def nurse_review_open_for(*, care_request: CareRequest, nurse) -> NurseReview | None:
    """The nurse's review of this case still in progress (answers prefetched), if any."""
    return (
        _review_qs()
        .filter(care_request=care_request, nurse=nurse, completed_at__isnull=True)
        .order_by("-started_at")
        .first()
    )


def nurse_review_latest(*, care_request: CareRequest) -> NurseReview | None:
    """The most recent review of the case by any nurse (for the case view and the director)."""
    return _review_qs().filter(care_request=care_request).order_by("-started_at").first()


def evaluate_case(*, care_request: CareRequest, review: NurseReview | None) -> ReviewOutcome:
    every = list(care_request.service_lines.select_related("category").order_by("sequence"))
    lines = [line for line in every if line.decision != ServiceLine.Decision.DENIED]
    outcome = review_outcome(
        lines=lines, criteria_map=criteria_set_for_line_map(lines), review=review
    )
    outcome.denied_lines = [line for line in every if line.decision == ServiceLine.Decision.DENIED]
    return outcome


@dataclass
class ReviewMaterial:
    """What the nurse reads beside the criteria: the provider's clinical summary (on the case),
    the diagnoses and the documents."""

    diagnoses: list
    documents: list


def nurse_review_material(*, care_request: CareRequest) -> ReviewMaterial:
    """The diagnoses and documents of the case, two queries however many of each."""
    return ReviewMaterial(
        diagnoses=list(Diagnosis.objects.filter(care_request=care_request).order_by("sequence")),
        documents=list(Document.objects.filter(care_request=care_request).order_by("uploaded_at")),
    )
