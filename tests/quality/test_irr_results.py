"""IRR audit results against hand-computed values.

Criteria sets S1 (vignettes V1, V2) and S2 (V3), two criteria each; every item asks criterion 1,
criterion 2 and the decision, so 9 ratings in all. Reference answers:

    V1: met, met, approve        V2: met, not_met, not_approve     V3: not_met, not_met, not_approve

Reviewer A answers exactly the reference. B says "met" and "approve" on V2 (2 of 9 wrong). C
answers V1 and V2 only (V3 left unanswered), with "not documented" for V1 criterion 1.

A vs reference: 9/9 = 100.0 %; kappa 1.00.
B vs reference: po = 7/9; B's labels met 4, not_met 2, approve 2, not_approve 1; the
  reference's met 3, not_met 3, approve 1, not_approve 2; pe = (12 + 6 + 2 + 2)/81 = 22/81;
  kappa = (63 - 22)/(81 - 22) = 41/59 = 0.69. Agreement 77.8 % < 90 %: flagged.
C vs reference (6 ratings): po = 5/6; C: not_documented 1, met 2, not_met 1, approve 1,
  not_approve 1; reference: met 3, not_met 1, approve 1, not_approve 1;
  pe = (0 + 6 + 1 + 1 + 1)/36 = 1/4; kappa = (5/6 - 1/4)/(3/4) = 7/9 = 0.78. 83.3 %: flagged.
Pairs: A/B over 9 = B's kappa 0.69; A/C over 6 = C's 0.78; B/C over 6: agree on V1 c2, V1
  decision, V2 c1: po = 1/2; B met 4, approve 2; C as above; pe = (4·2 + 2·1)/36 = 10/36;
  kappa = (18 - 10)/(36 - 10) = 4/13 = 0.31.
Pooled (24 ratings): 21 agree = 87.5 %; answers met 9, not_met 6, approve 4, not_approve 4,
  not_documented 1; reference met 9, not_met 7, approve 3, not_approve 5;
  pe = (81 + 42 + 12 + 20)/576 = 155/576; kappa = (504 - 155)/(576 - 155) = 349/421 = 0.83.
Fleiss: V3's ratings have two raters, V1's and V2's three: not shown.
When C also answers V3 as the reference, every rating has three raters:
  per-rating agreement P_i = 1/3 for the three split ratings (2+1), 1 for the six unanimous:
  P̄ = 7/9; label totals met 9, not_documented 1, approve 4, not_met 8, not_approve 5 of 27:
  P̄e = (81 + 1 + 16 + 64 + 25)/729 = 187/729; kappa = (567 - 187)/(729 - 187) = 190/271 = 0.70.
"""

import random

import pytest

from quality.models import IrrAssignment, IrrAudit, IrrSettings
from quality.selectors.irr_results import irr_audit_results
from quality.services.irr import irr_assignment_submit, irr_audit_complete, irr_audit_create
from tests.factories import UserFactory
from um_portal.accounts.roles import Role

from .irr_fixtures import AP, DUE, NA, D, M, N, criteria_set, vignette

pytestmark = pytest.mark.django_db

REFERENCE = {"V1": ([M, M], AP), "V2": ([M, N], NA), "V3": ([N, N], NA)}
ANSWERS = {
    "a": {"V1": ([M, M], AP), "V2": ([M, N], NA), "V3": ([N, N], NA)},
    "b": {"V1": ([M, M], AP), "V2": ([M, M], AP), "V3": ([N, N], NA)},
    "c": {"V1": ([D, M], AP), "V2": ([M, N], NA)},
}


@pytest.fixture
def reviewers(db):
    return {
        "a": UserFactory(username="a", first_name="Ann", last_name="A", roles=[Role.NURSE]),
        "b": UserFactory(username="b", first_name="Bea", last_name="B", roles=[Role.NURSE]),
        "c": UserFactory(username="c", first_name="Cal", last_name="C", roles=[Role.DIRECTOR]),
    }


def answer(assignment, user, answers, decision):
    criteria = assignment.item.criteria_set.criteria.order_by("sequence")
    irr_assignment_submit(
        assignment=assignment,
        reviewer=user,
        answers={c.pk: a for c, a in zip(criteria, answers, strict=True)},
        notes={},
        decision=decision,
    )


@pytest.fixture
def audit(manager, reviewers):
    s1, s2 = criteria_set("s1"), criteria_set("s2")
    vignettes = [
        vignette("V1", s1, *REFERENCE["V1"]),
        vignette("V2", s1, *REFERENCE["V2"]),
        vignette("V3", s2, *REFERENCE["V3"]),
    ]
    built = irr_audit_create(
        actor=manager,
        name="Hand computed",
        source=IrrAudit.Source.VIGNETTES,
        vignettes=vignettes,
        reviewers=list(reviewers.values()),
        due_date=DUE,
        rng=random.Random(1),
    )
    for assignment in IrrAssignment.objects.filter(item__audit=built).select_related(
        "item__vignette", "reviewer"
    ):
        given = ANSWERS[assignment.reviewer.username].get(assignment.item.vignette.title)
        if given:
            answer(assignment, assignment.reviewer, *given)
    return built


def rows(group):
    return {
        r.result.reviewer: (r.result.cases, round(r.result.agreement, 3), r.result.kappa)
        for r in group.reviewers
    }


def test_reviewer_agreement_and_kappa_against_the_reference(audit):
    results = irr_audit_results(audit=audit)
    got = rows(results.overall)
    assert got["Ann A"] == (9, 1.0, 1.0)
    assert got["Bea B"][:2] == (9, 0.778) and got["Bea B"][2] == pytest.approx(41 / 59)
    assert got["Cal C"][:2] == (6, 0.833) and got["Cal C"][2] == pytest.approx(7 / 9)
    assert [r.result.reviewer for r in results.flagged] == ["Bea B", "Cal C"]
    assert results.overall.overall_agreement == pytest.approx(21 / 24)
    assert results.overall.overall_kappa == pytest.approx(349 / 421)


def test_cohen_kappa_per_pair_over_the_ratings_both_gave(audit):
    pairs = {
        (p.first, p.second): (p.questions, p.kappa)
        for p in irr_audit_results(audit=audit).overall.pairs
    }
    assert pairs[("Ann A", "Bea B")] == (9, pytest.approx(41 / 59))
    assert pairs[("Ann A", "Cal C")] == (6, pytest.approx(7 / 9))
    assert pairs[("Bea B", "Cal C")] == (6, pytest.approx(4 / 13))


def test_fleiss_is_not_shown_when_items_have_different_numbers_of_raters(audit):
    overall = irr_audit_results(audit=audit).overall
    assert overall.fleiss is None
    assert "different numbers of reviewers (2 to 3)" in overall.fleiss_reason


def test_fleiss_kappa_when_every_item_has_the_same_raters(audit, reviewers):
    v3 = IrrAssignment.objects.get(item__audit=audit, reviewer=reviewers["c"], item__sequence=3)
    answer(v3, reviewers["c"], *REFERENCE["V3"])
    overall = irr_audit_results(audit=audit).overall
    assert overall.fleiss == pytest.approx(190 / 271)
    assert overall.fleiss_reason == ""


def test_results_per_criteria_set(audit):
    by_set = {g.title: g for g in irr_audit_results(audit=audit).by_criteria_set}
    assert list(by_set) == ["S1 v1", "S2 v1"]
    assert by_set["S1 v1"].items == 2 and by_set["S2 v1"].items == 1
    # S2 holds V3 only, answered by A and B exactly as the reference (two raters each: Fleiss
    # is defined; every rating unanimous, so it is 1).
    assert rows(by_set["S2 v1"]) == {"Ann A": (3, 1.0, 1.0), "Bea B": (3, 1.0, 1.0)}
    assert by_set["S2 v1"].fleiss == pytest.approx(1.0)
    # S1: B is wrong on 2 of 6 ratings.
    assert rows(by_set["S1 v1"])["Bea B"][:2] == (6, 0.667)


def test_flagged_reviewer_lists_the_discordant_items(audit):
    flagged = {r.result.reviewer: r for r in irr_audit_results(audit=audit).flagged}
    bea = flagged["Bea B"]
    assert [(d.item.label, d.question, d.answer, d.reference) for d in bea.discrepancies] == [
        ("Vignette: V2", "Criterion 2", "Met", "Not met"),
        (
            "Vignette: V2",
            "Decision",
            "Approve: the criteria are met",
            "Not approvable on these criteria (deny, or refer to a physician)",
        ),
    ]
    assert [i.label for i in bea.discordant_items] == ["Vignette: V2"]


def test_thresholds_are_the_plans_setting(audit):
    IrrSettings.objects.create(agreement_threshold=75, kappa_threshold="0.60")
    assert irr_audit_results(audit=audit).flagged == []


def test_completed_audit_answers_can_no_longer_change(audit, manager, reviewers):
    irr_audit_complete(actor=manager, audit=audit)
    assignment = IrrAssignment.objects.filter(item__audit=audit, reviewer=reviewers["a"]).first()
    from um_portal.lib.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        answer(assignment, reviewers["a"], [N, N], NA)
