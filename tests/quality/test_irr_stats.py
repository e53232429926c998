"""The IRR arithmetic against textbook examples, worked by hand."""

import pytest

from quality.irr_stats import (
    agreement,
    cohen_kappa,
    fleiss_kappa,
    reviewer_result,
)


def _pairs(counts: dict[tuple[str, str], int]) -> tuple[list[str], list[str]]:
    first, second = [], []
    for (a, b), n in counts.items():
        first += [a] * n
        second += [b] * n
    return first, second


def test_cohen_kappa_textbook():
    # 50 cases: both yes 20, A yes B no 5, A no B yes 10, both no 15.
    # po = 35/50 = 0.7; A yes 25/50, B yes 30/50: pe = 0.5*0.6 + 0.5*0.4 = 0.5;
    # kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
    a, b = _pairs({("yes", "yes"): 20, ("yes", "no"): 5, ("no", "yes"): 10, ("no", "no"): 15})
    assert cohen_kappa(a, b) == pytest.approx(0.4)


def test_cohen_kappa_three_labels():
    # 10 cases, approve/pend/refer. Diagonal 4+2+1 = 7: po = 0.7.
    # A: approve 4+1, pend 2+1, refer 1+1 = 5, 3, 2; B: approve 4+1, pend 1+2, refer 1+1 =
    # 5, 3, 2. pe = (25 + 9 + 4) / 100 = 0.38; kappa = (0.7 - 0.38) / 0.62 = 0.5161...
    a, b = _pairs(
        {
            ("approve", "approve"): 4,
            ("approve", "pend"): 1,
            ("pend", "pend"): 2,
            ("pend", "refer"): 1,
            ("refer", "refer"): 1,
            ("refer", "approve"): 1,
        }
    )
    assert cohen_kappa(a, b) == pytest.approx(0.32 / 0.62)


def test_cohen_kappa_perfect_and_undefined():
    assert cohen_kappa(["a", "b", "a"], ["a", "b", "a"]) == 1.0
    assert cohen_kappa(["a", "a"], ["a", "a"]) is None  # one label only: undefined
    assert cohen_kappa([], []) is None
    with pytest.raises(ValueError):
        cohen_kappa(["a"], ["a", "b"])


def test_fleiss_kappa_textbook():
    # Fleiss (1971) as worked on Wikipedia: 10 cases, 14 raters, 5 categories;
    # P-bar = 0.378, Pe-bar = 0.213, kappa = 0.210.
    table = [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
    ratings = [[c for c, n in enumerate(row) for _ in range(n)] for row in table]
    assert fleiss_kappa(ratings) == pytest.approx(0.20993, abs=1e-4)


def test_fleiss_kappa_needs_equal_raters():
    assert fleiss_kappa([]) is None
    assert fleiss_kappa([["a", "a"], ["a", "a"]]) is None
    with pytest.raises(ValueError):
        fleiss_kappa([["a", "b"], ["a"]])


def test_reviewer_flags():
    reference = ["approve"] * 6 + ["refer"] * 4
    # 9 of 10 agree: 90 % is not under the threshold; kappa: po 0.9, pe (7*6 + 3*4)/100 = 0.54,
    # kappa = 0.36 / 0.46 = 0.7826: not flagged.
    good = reviewer_result("nurse", ["approve"] * 7 + ["refer"] * 3, reference)
    assert good.agreement == pytest.approx(0.9)
    assert good.kappa == pytest.approx(0.36 / 0.46)
    assert good.flagged is False
    # 8 of 10: agreement 80 % flags.
    weak = reviewer_result("nurse2", ["approve"] * 8 + ["refer"] * 2, reference)
    assert weak.flagged is True
    assert agreement([], []) is None
