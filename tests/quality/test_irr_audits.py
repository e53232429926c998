"""Building IRR audits from decided cases, blindness, the real case left alone, who may do
what, the exports and the annual schedule."""

import csv
import io
import random
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from intake.models import CareRequest, StatusEvent
from quality.models import IrrAnswer, IrrAssignment, IrrAudit, IrrItem, IrrSettings
from quality.selectors.irr import irr_candidates, irr_schedule
from quality.services.irr import irr_audit_complete, irr_audit_create
from review.models import CriterionAnswer, NurseReview
from tests.factories import CoverageFactory, UserFactory
from um_portal.accounts.roles import Role
from um_portal.audit.models import AccessLog
from um_portal.lib.errors import NotPermitted, ValidationFailed

from .irr_fixtures import DUE, M, N, criteria_set, decided_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db, nurse, director, manager):
    return {
        "nurse": nurse,
        "director": director,
        "manager": manager,
        "nurse2": UserFactory(username="nurse2", first_name="Luis", roles=[Role.NURSE]),
        "director2": UserFactory(username="director2", first_name="Amara", roles=[Role.DIRECTOR]),
    }


@pytest.fixture
def cases(people):
    """Four decided cases: three reviewed by `nurse` and decided by `director`, one reviewed by
    `nurse2` and decided by `director2`; two service categories."""
    cs = criteria_set("spine")
    coverage = CoverageFactory()
    p = people
    return [
        decided_case(
            coverage,
            cs,
            nurse=p["nurse"],
            director=p["director"],
            answers=[M, M],
            outcome="approved",
        ),
        decided_case(
            coverage, cs, nurse=p["nurse"], director=p["director"], answers=[M, N], outcome="denied"
        ),
        decided_case(
            coverage,
            cs,
            nurse=p["nurse"],
            director=p["director"],
            answers=[M, M],
            outcome="modified",
            category="dme",
        ),
        decided_case(
            coverage,
            cs,
            nurse=p["nurse2"],
            director=p["director2"],
            answers=[N, N],
            outcome="denied",
        ),
    ]


def build(people, reviewers, *, source="random", size=4, seed=3):
    return irr_audit_create(
        actor=people["manager"],
        name="March audit",
        source=source,
        size=size,
        reviewers=[people[r] for r in reviewers],
        due_date=DUE,
        rng=random.Random(seed),
    )


def test_candidates_carry_the_original_answers_and_decision(cases, people):
    found = {c.care_request.pk: c for c in irr_candidates()}
    assert len(found) == 4
    first = found[cases[0].pk]
    criteria = list(first.criteria_set.criteria.order_by("sequence"))
    assert first.reference_answers == {str(criteria[0].pk): M, str(criteria[1].pk): M}
    assert first.reference_decision == "approve"
    assert found[cases[1].pk].reference_decision == "not_approve"
    assert found[cases[2].pk].reference_decision == "not_approve"  # fewer units: not approvable
    assert first.originals == {people["nurse"].pk, people["director"].pk}


def test_a_reviewer_is_never_assigned_their_own_case(cases, people):
    audit = build(people, ["nurse", "director", "nurse2", "director2"])
    assert audit.items.count() == 4
    for item in IrrItem.objects.filter(audit=audit):
        assigned = set(item.assignments.values_list("reviewer__username", flat=True))
        if item.care_request_id == cases[3].pk:
            assert assigned == {"nurse", "director"}
        else:
            assert assigned == {"nurse2", "director2"}


def test_a_case_only_its_own_reviewers_could_audit_is_not_sampled(cases, people):
    audit = build(people, ["nurse", "director"])
    assert list(audit.items.values_list("care_request", flat=True)) == [cases[3].pk]


def test_stratified_sample_covers_every_reviewer_and_category_first(cases, people):
    # Strata: (nurse, imaging) x2, (nurse, dme) x1, (nurse2, imaging) x1: three cases, one each.
    audit = build(people, ["nurse2", "director2", "nurse", "director"], source="stratified", size=3)
    picked = set(audit.items.values_list("care_request", flat=True))
    assert cases[2].pk in picked and cases[3].pk in picked
    assert len(picked & {cases[0].pk, cases[1].pk}) == 1


def test_building_writes_nothing_to_the_real_case(cases, people):
    before = list(CareRequest.objects.order_by("pk").values())
    events, answers = StatusEvent.objects.count(), CriterionAnswer.objects.count()
    audit = build(people, ["nurse2", "director2"])
    assignment = IrrAssignment.objects.filter(item__audit=audit, reviewer=people["nurse2"]).first()
    client_answers = {f"a-{c.pk}": N for c in assignment.item.criteria_set.criteria.all()}
    from django.test import Client

    client = Client()
    client.force_login(people["nurse2"])
    url = reverse("quality:irr_assignment", args=[assignment.pk])
    response = client.post(url, {**client_answers, "decision": "not_approve"})
    assert response.status_code == 302
    assert IrrAnswer.objects.filter(assignment=assignment).count() == 2
    irr_audit_complete(actor=people["manager"], audit=audit)
    assert list(CareRequest.objects.order_by("pk").values()) == before
    assert StatusEvent.objects.count() == events
    assert CriterionAnswer.objects.count() == answers
    assert NurseReview.objects.filter(nurse=people["nurse2"]).count() == 1  # only their original


def test_the_audit_page_hides_the_original_answers(cases, people, client_for):
    audit = build(people, ["nurse2", "director2"], size=1, seed=1)
    assignment = IrrAssignment.objects.get(item__audit=audit, reviewer=people["director2"])
    case = assignment.item.care_request
    response = client_for(people["director2"]).get(
        reverse("quality:irr_assignment", args=[assignment.pk])
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "IRR audit — nothing here changes the real case" in body
    assert case.reference in body
    # No criterion is pre-answered, no decision chosen, no status or determination shown.
    assert "checked" not in body
    assert case.get_status_display() not in body
    assert "Denied" not in body and "Approved" not in body
    assert AccessLog.objects.filter(
        user=people["director2"], case_id=case.pk, action="irr_audit_view"
    ).exists()


def test_only_the_assigned_reviewer_answers(cases, people, client_for, provider_user):
    audit = build(people, ["nurse2", "director2"], size=1)
    assignment = IrrAssignment.objects.get(item__audit=audit, reviewer=people["nurse2"])
    url = reverse("quality:irr_assignment", args=[assignment.pk])
    assert client_for(people["director2"]).get(url).status_code == 404
    assert client_for(people["director2"]).post(url, {"decision": "approve"}).status_code == 404
    assert client_for(people["manager"]).get(url).status_code == 403
    assert client_for(provider_user).get(url).status_code in (403, 404)
    assert not IrrAnswer.objects.exists()


def test_an_incomplete_answer_is_a_400_and_saves_nothing(cases, people, client_for):
    audit = build(people, ["nurse2", "director2"], size=1)
    assignment = IrrAssignment.objects.get(item__audit=audit, reviewer=people["nurse2"])
    first = assignment.item.criteria_set.criteria.order_by("sequence").first()
    response = client_for(people["nurse2"]).post(
        reverse("quality:irr_assignment", args=[assignment.pk]), {f"a-{first.pk}": "met"}
    )
    assert response.status_code == 400
    assert b"Answer every criterion: 2 not answered." in response.content
    assert b"Pick a decision." in response.content
    assert not IrrAnswer.objects.exists()
    assert IrrAssignment.objects.get(pk=assignment.pk).submitted_at is None


def test_only_a_manager_builds(cases, people, client_for, provider_user):
    with pytest.raises(NotPermitted):
        irr_audit_create(
            actor=people["nurse"],
            name="x",
            source="random",
            reviewers=[people["nurse2"], people["director2"]],
            due_date=DUE,
        )
    url = reverse("quality:irr_new")
    assert client_for(people["nurse"]).get(url).status_code == 403
    assert client_for(provider_user).get(url).status_code in (403, 404)
    response = client_for(people["manager"]).post(
        url,
        {
            "name": "Manager's audit",
            "source": "random",
            "size": "2",
            "reviewers": [people["nurse2"].pk, people["director2"].pk],
            "due_date": "2025-04-30",
        },
    )
    audit = IrrAudit.objects.get(name="Manager's audit")
    assert response.status_code == 302
    assert audit.items.count() == 2


def test_a_single_reviewer_is_refused(cases, people, client_for):
    response = client_for(people["manager"]).post(
        reverse("quality:irr_new"),
        {
            "name": "x",
            "source": "random",
            "size": "2",
            "reviewers": [people["nurse2"].pk],
            "due_date": "2025-04-30",
        },
    )
    assert response.status_code == 400
    assert b"at least two reviewers" in response.content
    assert not IrrAudit.objects.exists()


def test_no_eligible_case_is_a_clear_error(people):
    with pytest.raises(ValidationFailed, match="No decided case"):
        build(people, ["nurse2", "director2"])


@pytest.fixture
def answered(cases, people):
    """The nurse2/director2 audit of the three `nurse` cases, answered: nurse2 exactly as the
    reference, director2 "not met" everywhere with "not approvable"."""
    audit = build(people, ["nurse2", "director2"], size=3, seed=2)
    for assignment in IrrAssignment.objects.filter(item__audit=audit).select_related("item"):
        item = assignment.item
        criteria = list(item.criteria_set.criteria.order_by("sequence"))
        if assignment.reviewer == people["nurse2"]:
            answers = {c.pk: item.reference_answers[str(c.pk)] for c in criteria}
            decision = item.reference_decision
        else:
            answers, decision = {c.pk: N for c in criteria}, "not_approve"
        from quality.services.irr import irr_assignment_submit

        irr_assignment_submit(
            assignment=assignment,
            reviewer=assignment.reviewer,
            answers=answers,
            notes={},
            decision=decision,
        )
    return audit


def test_results_page_and_csv(answered, people, client_for):
    # Three items (references: M,M,approve / M,N,not_approve / M,M,not_approve): director2's
    # N,N,not_approve agrees on 3 of 9 (V2 c2, V2 and V3 decisions).
    client = client_for(people["manager"])
    page = client.get(reverse("quality:irr_results", args=[answered.pk]))
    assert page.status_code == 200
    assert b"Reviewers flagged for education" in page.content
    assert AccessLog.objects.filter(user=people["manager"], action="irr_results").count() == 3
    response = client.get(reverse("quality:irr_results_csv", args=[answered.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    overall = {
        r["reviewer"]: r
        for r in rows
        if r["criteria_set"] == "All criteria sets" and r["row"] == "reviewer vs reference"
    }
    assert len(overall) == 2
    director2 = next(r for n, r in overall.items() if n.startswith("Amara"))
    nurse2 = next(r for n, r in overall.items() if n.startswith("Luis"))
    assert (nurse2["ratings"], nurse2["agreement_percent"], nurse2["kappa"], nurse2["flagged"]) == (
        "9",
        "100.0",
        "1.00",
        "no",
    )
    assert (director2["ratings"], director2["agreement_percent"], director2["flagged"]) == (
        "9",
        "33.3",
        "yes",
    )
    assert director2["discordant_items"].count(";") == 2  # all three items
    fleiss = next(
        r for r in rows if r["criteria_set"] == "All criteria sets" and r["row"] == "group (Fleiss)"
    )
    # Two raters on every rating: Fleiss' kappa is shown (its value is tested by hand elsewhere).
    assert fleiss["kappa"] != "" and fleiss["discordant_items"] == ""


def test_pdf_summary(answered, people, client_for):
    irr_audit_complete(actor=people["manager"], audit=answered)
    response = client_for(people["manager"]).get(
        reverse("quality:irr_results_pdf", args=[answered.pk])
    )
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Inter-rater reliability audit: March audit" in text
    assert "33.3 %" in text and "100.0 %" in text
    assert "Flagged for education" in text


def test_exports_are_manager_only(answered, people, client_for):
    for name in ("irr_results", "irr_results_csv", "irr_results_pdf", "irr_detail"):
        url = reverse(f"quality:{name}", args=[answered.pk])
        assert client_for(people["nurse"]).get(url).status_code == 403


def test_annual_schedule():
    IrrSettings.objects.create(audit_month=3)
    with time_machine.travel(timezone.make_aware(timezone.datetime(2025, 2, 10, 12)), tick=False):
        schedule = irr_schedule()
        assert (schedule.due, schedule.overdue, schedule.last_completed) == (
            date(2025, 3, 31),
            False,
            None,
        )
    with time_machine.travel(timezone.make_aware(timezone.datetime(2025, 4, 2, 12)), tick=False):
        assert irr_schedule().overdue is True
        manager = UserFactory(username="m", roles=[Role.MANAGER])
        done = IrrAudit.objects.create(
            name="Done",
            source="vignettes",
            due_date=date(2025, 3, 31),
            created_by=manager,
            status="completed",
            completed_at=timezone.now(),
        )
        schedule = irr_schedule()
        assert (schedule.due, schedule.overdue, schedule.last_completed) == (
            date(2026, 3, 31),
            False,
            done,
        )
