"""Inter-rater reliability statistics (NCQA UM 2), framework-free so they are tested against
textbook values: percent agreement with a reference, Cohen's kappa for a pair of raters and
Fleiss' kappa for a group. Answers are any hashable labels ("approve", "deny", "met", ...).

The IRR audits (quality/selectors/irr_results.py) call these; nothing else computes them.
"""

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

# Plan defaults (issue #19): a reviewer under either threshold is flagged for education.
KAPPA_THRESHOLD = 0.6
AGREEMENT_THRESHOLD = 0.9


def agreement(answers: Sequence[Hashable], reference: Sequence[Hashable]) -> float | None:
    """The share of cases where the answer equals the reference; None for no case."""
    if len(answers) != len(reference):
        raise ValueError("Each answer needs its reference answer.")
    if not answers:
        return None
    return sum(a == r for a, r in zip(answers, reference, strict=True)) / len(answers)


def cohen_kappa(first: Sequence[Hashable], second: Sequence[Hashable]) -> float | None:
    """Cohen's kappa of two raters over the same cases: (po - pe) / (1 - pe).

    None when there is no case, or when chance agreement is total (both raters gave one and the
    same label to every case: kappa is undefined, and reporting 1.0 would flatter them)."""
    if len(first) != len(second):
        raise ValueError("Both raters must rate the same cases.")
    n = len(first)
    if not n:
        return None
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    counts_a, counts_b = Counter(first), Counter(second)
    expected = sum(counts_a[label] * counts_b[label] for label in counts_a) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def fleiss_kappa(ratings: Sequence[Sequence[Hashable]]) -> float | None:
    """Fleiss' kappa: one row per case with every rater's label; each case must have the same
    number of raters (at least two). None when undefined (no case, or a single label used)."""
    if not ratings:
        return None
    raters = len(ratings[0])
    if raters < 2 or any(len(row) != raters for row in ratings):
        raise ValueError("Every case needs the same number of raters, at least two.")
    cases = len(ratings)
    totals: Counter = Counter()
    per_case_agreement = 0.0
    for row in ratings:
        counts = Counter(row)
        totals.update(counts)
        per_case_agreement += (sum(c * c for c in counts.values()) - raters) / (
            raters * (raters - 1)
        )
    p_bar = per_case_agreement / cases
    pe_bar = sum((t / (cases * raters)) ** 2 for t in totals.values())
    if pe_bar == 1:
        return None
    return (p_bar - pe_bar) / (1 - pe_bar)


@dataclass(frozen=True)
class ReviewerResult:
    reviewer: str
    cases: int
    agreement: float | None
    kappa: float | None  # against the reference answers
    # The plan's thresholds (a setting); the defaults are the issue's.
    kappa_threshold: float = KAPPA_THRESHOLD
    agreement_threshold: float = AGREEMENT_THRESHOLD

    @property
    def flagged(self) -> bool:
        """Under either threshold; an undefined kappa alone does not flag (too few labels)."""
        low_agreement = self.agreement is not None and self.agreement < self.agreement_threshold
        low_kappa = self.kappa is not None and self.kappa < self.kappa_threshold
        return low_agreement or low_kappa


def reviewer_result(
    reviewer: str,
    answers: Sequence[Hashable],
    reference: Sequence[Hashable],
    *,
    kappa_threshold: float = KAPPA_THRESHOLD,
    agreement_threshold: float = AGREEMENT_THRESHOLD,
) -> ReviewerResult:
    return ReviewerResult(
        reviewer=reviewer,
        cases=len(answers),
        agreement=agreement(answers, reference),
        kappa=cohen_kappa(answers, reference),
        kappa_threshold=kappa_threshold,
        agreement_threshold=agreement_threshold,
    )
