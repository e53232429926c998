"""An IRR audit's results, computed with quality/irr_stats.py (the only copy of the arithmetic).

Each item asks every criterion of its criteria set and the decision; each answer is one rating
(a "question"). A reviewer is compared with the reference over the questions they answered, a
pair of reviewers over the questions both answered, and the group with Fleiss' kappa when every
question was answered by the same number of reviewers. The same block is computed for the whole
audit and for each criteria set."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import combinations

from reports.filters import local_midnight
from review.models import CriterionAnswer

from .. import irr_stats
from ..models import Decision, IrrAudit, IrrItem, IrrSettings
from .irr import irr_items_with_answers, irr_settings, reviewer_name

DECISION = "decision"


@dataclass(frozen=True)
class Discrepancy:
    item: IrrItem
    question: str  # "Criterion 2" or "Decision"
    answer: str
    reference: str


@dataclass(frozen=True)
class ReviewerRow:
    result: irr_stats.ReviewerResult
    discrepancies: list[Discrepancy]

    @property
    def discordant_items(self) -> list[IrrItem]:
        return list({d.item.pk: d.item for d in self.discrepancies}.values())


@dataclass(frozen=True)
class PairRow:
    first: str
    second: str
    questions: int
    kappa: float | None


@dataclass(frozen=True)
class GroupResult:
    title: str
    items: int
    reviewers: list[ReviewerRow]
    pairs: list[PairRow]
    fleiss: float | None
    fleiss_reason: str  # why Fleiss' kappa is not shown ("" when it is)
    overall_agreement: float | None
    overall_kappa: float | None  # every reviewer's answers pooled against the reference


@dataclass(frozen=True)
class AuditResults:
    audit: IrrAudit
    settings: IrrSettings
    items: list[IrrItem]
    overall: GroupResult
    by_criteria_set: list[GroupResult]

    @property
    def flagged(self) -> list[ReviewerRow]:
        return [r for r in self.overall.reviewers if r.result.flagged]


LABELS = {**dict(CriterionAnswer.Answer.choices), **dict(Decision.choices)}


def _label(value: str) -> str:
    return LABELS.get(value, value or "—")


def _questions(item: IrrItem) -> dict:
    """(item, question) → reference label, for the questions that have a reference."""
    refs = {}
    for criterion in item.criteria_set.criteria.all():
        if str(criterion.pk) in item.reference_answers:
            refs[(item.pk, criterion.pk)] = item.reference_answers[str(criterion.pk)]
    refs[(item.pk, DECISION)] = item.reference_decision
    return refs


def _group(title: str, items: list[IrrItem], settings: IrrSettings) -> GroupResult:
    reference: dict = {}
    sequence: dict = {}  # criterion id → sequence, to name a question
    answers: dict[str, dict] = defaultdict(dict)
    by_key = {}
    for item in items:
        reference.update(_questions(item))
        for criterion in item.criteria_set.criteria.all():
            sequence[criterion.pk] = criterion.sequence
        for assignment in item.assignments.all():
            if assignment.submitted_at is None:
                continue
            name = reviewer_name(assignment.reviewer)
            for answer in assignment.answers.all():
                answers[name][(item.pk, answer.criterion_id)] = answer.answer
            answers[name][(item.pk, DECISION)] = assignment.decision
        by_key.update({item.pk: item})

    kappa_threshold = float(settings.kappa_threshold)
    agreement_threshold = float(settings.agreement_threshold) / 100
    rows = []
    pooled_answers, pooled_reference = [], []
    for name in sorted(answers):
        keys = [k for k in answers[name] if k in reference]
        given = [answers[name][k] for k in keys]
        expected = [reference[k] for k in keys]
        pooled_answers += given
        pooled_reference += expected
        discrepancies = [
            Discrepancy(
                item=by_key[k[0]],
                question="Decision" if k[1] == DECISION else f"Criterion {sequence[k[1]]}",
                answer=_label(answers[name][k]),
                reference=_label(reference[k]),
            )
            for k in keys
            if answers[name][k] != reference[k]
        ]
        result = irr_stats.reviewer_result(
            name,
            given,
            expected,
            kappa_threshold=kappa_threshold,
            agreement_threshold=agreement_threshold,
        )
        rows.append(ReviewerRow(result=result, discrepancies=discrepancies))

    pairs = []
    for first, second in combinations(sorted(answers), 2):
        common = [k for k in answers[first] if k in answers[second] and k in reference]
        pairs.append(
            PairRow(
                first=first,
                second=second,
                questions=len(common),
                kappa=irr_stats.cohen_kappa(
                    [answers[first][k] for k in common], [answers[second][k] for k in common]
                )
                if common
                else None,
            )
        )

    fleiss, reason = _fleiss(reference, answers)
    return GroupResult(
        title=title,
        items=len(items),
        reviewers=rows,
        pairs=pairs,
        fleiss=fleiss,
        fleiss_reason=reason,
        overall_agreement=irr_stats.agreement(pooled_answers, pooled_reference),
        overall_kappa=irr_stats.cohen_kappa(pooled_answers, pooled_reference)
        if pooled_answers
        else None,
    )


def _fleiss(reference: dict, answers: dict[str, dict]) -> tuple[float | None, str]:
    rows = []
    for key in reference:
        labels = [given[key] for given in answers.values() if key in given]
        if labels:
            rows.append(labels)
    if not rows:
        return None, "No answers yet."
    counts = sorted({len(r) for r in rows})
    if len(counts) > 1:
        return None, (
            f"Not shown: the items were answered by different numbers of reviewers "
            f"({counts[0]} to {counts[-1]}), and Fleiss' kappa needs the same number on every item."
        )
    if counts[0] < 2:
        return None, "Not shown: each item has a single reviewer."
    kappa = irr_stats.fleiss_kappa(rows)
    return kappa, "" if kappa is not None else "Undefined: every answer was the same label."


def irr_audit_results(*, audit: IrrAudit) -> AuditResults:
    """The audit's results, overall and per criteria set. Five queries whatever its size."""
    items = irr_items_with_answers(audit=audit)
    settings = irr_settings()
    sets: dict = defaultdict(list)
    for item in items:
        sets[item.criteria_set].append(item)
    return AuditResults(
        audit=audit,
        settings=settings,
        items=items,
        overall=_group("All criteria sets", items, settings),
        by_criteria_set=[
            _group(f"{cs.name} v{cs.version}", members, settings)
            for cs, members in sorted(sets.items(), key=lambda pair: pair[0].name)
        ],
    )


def irr_kappa_in_window(start: date, end: date) -> tuple[Decimal | None, IrrAudit | None]:
    """The pooled kappa of the latest audit completed between two dates (inclusive): the "IRR
    kappa" goal. None when no audit was completed in the window or its kappa is undefined."""
    audit = (
        IrrAudit.objects.filter(
            status=IrrAudit.Status.COMPLETED,
            completed_at__gte=local_midnight(start),
            completed_at__lt=local_midnight(end + timedelta(days=1)),
        )
        .order_by("-completed_at")
        .first()
    )
    if audit is None:
        return None, None
    kappa = irr_audit_results(audit=audit).overall.overall_kappa
    return (None if kappa is None else Decimal(str(round(kappa, 2)))), audit
