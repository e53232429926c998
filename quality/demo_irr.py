"""Demo IRR data: the plan's settings, four gold-standard vignettes, one completed audit with
results (one reviewer flagged for education) and one open audit awaiting answers. Idempotent.
The vignettes are synthetic stories written for UM Portal, about no real person."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from review.models import CriteriaSet

from .models import IrrAssignment, IrrAudit, IrrSettings, Vignette, VignetteAnswer
from .services.irr import irr_assignment_submit, irr_audit_complete, irr_audit_create

M, N, D = "met", "not_met", "not_documented"
# title, criteria set slug, story, reference answers by criterion sequence, reference decision
VIGNETTES = [
    (
        "Lumbar MRI after six weeks of therapy",
        "lumbar-spine-mri",
        "A 52-year-old with eight weeks of right leg pain below the knee. Six weeks of physical "
        "therapy and naproxen without improvement. Exam: reduced right ankle reflex, positive "
        "straight-leg raise at 40°. The surgeon plans an epidural injection depending on the "
        "MRI. No earlier spine imaging.",
        [M, M, M, M, M],
        "approve",
    ),
    (
        "Lumbar MRI after two weeks of back pain",
        "lumbar-spine-mri",
        "A 38-year-old with two weeks of low back pain after lifting boxes; no leg symptoms, no "
        "weakness, no fever, no cancer history. Has taken ibuprofen for a week. Exam: lumbar "
        "muscle tenderness, neurological exam normal. MRI requested 'to rule out a disc'.",
        [N, N, N, N, M],
        "not_approve",
    ),
    (
        "Knee arthroscopy for a locked knee",
        "knee-arthroscopy",
        "A 29-year-old footballer whose left knee locked after a twisting injury ten days ago "
        "and cannot fully extend. Positive McMurray test. MRI: displaced bucket-handle tear of "
        "the medial meniscus. X-ray: no arthritis.",
        [M, M, M, M],
        "approve",
    ),
    (
        "Knee arthroscopy with advanced arthritis",
        "knee-arthroscopy",
        "A 67-year-old with two years of medial knee pain and occasional catching. Three months "
        "of physical therapy did not help. MRI: degenerative medial meniscal tear. Standing "
        "X-ray: Kellgren-Lawrence grade 4 of the medial compartment.",
        [M, M, M, N],
        "not_approve",
    ),
]

# How each demo reviewer departs from the reference in the completed audit, by vignette index:
# {criterion sequence or "decision": answer}. nurse2 departs often and is flagged for education.
DEPARTURES = {
    "nurse": {},
    "director": {1: {1: D}},
    "director2": {},
    "nurse2": {1: {2: M, "decision": "approve"}, 3: {4: M, "decision": "approve"}, 0: {3: D}},
}

COMPLETED = "Annual IRR audit (vignettes)"
OPEN = "Quarterly IRR check"


def seed_vignettes() -> list[Vignette]:
    vignettes = []
    for title, slug, text, answers, decision in VIGNETTES:
        existing = Vignette.objects.filter(title=title).first()
        if existing:
            vignettes.append(existing)
            continue
        cs = CriteriaSet.objects.get(slug=slug, is_current=True)
        vignette = Vignette.objects.create(
            title=title, text=text, criteria_set=cs, reference_decision=decision
        )
        VignetteAnswer.objects.bulk_create(
            VignetteAnswer(vignette=vignette, criterion=c, answer=a)
            for c, a in zip(cs.criteria.order_by("sequence"), answers, strict=True)
        )
        vignettes.append(vignette)
    return vignettes


def _answer(assignment: IrrAssignment, reviewer, departures: dict) -> None:
    item = assignment.item
    criteria = list(item.criteria_set.criteria.order_by("sequence"))
    answers = {
        c.pk: departures.get(c.sequence, item.reference_answers[str(c.pk)]) for c in criteria
    }
    irr_assignment_submit(
        assignment=assignment,
        reviewer=reviewer,
        answers=answers,
        notes={},
        decision=departures.get("decision", item.reference_decision),
    )


@transaction.atomic
def seed_irr(*, users: dict) -> str:
    IrrSettings.objects.get_or_create(pk=1)
    vignettes = seed_vignettes()
    manager = users["manager"]
    today = timezone.localdate()
    made = []
    if not IrrAudit.objects.filter(name=COMPLETED).exists():
        reviewers = [users[name] for name in DEPARTURES]
        audit = irr_audit_create(
            actor=manager,
            name=COMPLETED,
            source=IrrAudit.Source.VIGNETTES,
            vignettes=vignettes,
            reviewers=reviewers,
            due_date=today,
            rng=random.Random(19),
        )
        index = {v.pk: i for i, v in enumerate(vignettes)}
        for assignment in IrrAssignment.objects.filter(item__audit=audit).select_related(
            "item", "reviewer"
        ):
            departures = DEPARTURES[assignment.reviewer.username].get(
                index[assignment.item.vignette_id], {}
            )
            _answer(assignment, assignment.reviewer, departures)
        irr_audit_complete(actor=manager, audit=audit)
        made.append(COMPLETED)
    if not IrrAudit.objects.filter(name=OPEN).exists():
        audit = irr_audit_create(
            actor=manager,
            name=OPEN,
            source=IrrAudit.Source.VIGNETTES,
            vignettes=vignettes[:2],
            reviewers=[users["nurse"], users["director"]],
            due_date=today + timedelta(days=30),
        )
        first = IrrAssignment.objects.filter(item__audit=audit, reviewer=users["director"]).first()
        _answer(first, users["director"], {})
        made.append(OPEN)
    return ", ".join(made) or "already present"
