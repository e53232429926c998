"""Writes for IRR audits: build one (sample, reference, blind assignment), answer an
assignment, complete the audit. Only quality's own tables are written: the sampled cases are
read, never changed."""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from um_portal.accounts.roles import Role
from um_portal.audit.services import audit_event
from um_portal.lib.errors import NotFound, NotPermitted, ValidationFailed

from ..models import Decision, IrrAnswer, IrrAssignment, IrrAudit, IrrItem, Vignette
from ..selectors.irr import Candidate, irr_candidates

MAX_ITEMS = 100
ANSWERS = {"met", "not_met", "not_documented"}


@dataclass(frozen=True)
class _Planned:
    care_request: object = None
    service_line: object = None
    vignette: Vignette | None = None
    criteria_set: object = None
    reference_decision: str = ""
    reference_answers: dict | None = None
    originals: frozenset = frozenset()


def _stratified(candidates: list[Candidate], size: int, rng: random.Random) -> list[Candidate]:
    """Round-robin over (original reviewer, service category) strata, each shuffled, so every
    reviewer and category is represented before any gets a second case."""
    strata: dict = defaultdict(list)
    for candidate in candidates:
        strata[candidate.stratum].append(candidate)
    queues = [rng.sample(group, len(group)) for _, group in sorted(strata.items(), key=str)]
    picked: list[Candidate] = []
    while len(picked) < size and any(queues):
        for queue in queues:
            if queue and len(picked) < size:
                picked.append(queue.pop())
    return picked


def _plan_items(*, source, size, vignettes, reviewer_ids, rng) -> list[_Planned]:
    if source == IrrAudit.Source.VIGNETTES:
        chosen = list(vignettes)
        if not chosen:
            raise ValidationFailed(
                "Pick at least one vignette.", field_errors={"vignettes": ["Pick at least one."]}
            )
        return [
            _Planned(
                vignette=v,
                criteria_set=v.criteria_set,
                reference_decision=v.reference_decision,
                reference_answers={str(a.criterion_id): a.answer for a in v.answers.all()},
            )
            for v in chosen
        ]
    # A case whose every chosen reviewer reviewed or decided it originally has nobody to audit it.
    candidates = [c for c in irr_candidates() if set(reviewer_ids) - c.originals]
    if not candidates:
        raise ValidationFailed(
            "No decided case with a nurse's criteria answers is available for these reviewers."
        )
    if source == IrrAudit.Source.STRATIFIED:
        picked = _stratified(candidates, size, rng)
    else:
        picked = rng.sample(candidates, min(size, len(candidates)))
    return [
        _Planned(
            care_request=c.care_request,
            service_line=c.service_line,
            criteria_set=c.criteria_set,
            reference_decision=c.reference_decision,
            reference_answers=c.reference_answers,
            originals=frozenset(c.originals),
        )
        for c in picked
    ]


@transaction.atomic
def irr_audit_create(
    *,
    actor,
    name: str,
    source: str,
    due_date: date,
    reviewers: list,
    size: int = 10,
    vignettes=(),
    rng: random.Random | None = None,
) -> IrrAudit:
    """Build an audit: the sample, each item's reference copied from the original review (or
    the vignette), and one blind assignment per reviewer and item. A reviewer is never given a
    case they reviewed or decided themselves."""
    if not actor.has_role(Role.MANAGER):
        raise NotPermitted("Only a UM manager builds IRR audits.")
    errors = {}
    if len(reviewers) < 2:
        errors["reviewers"] = ["Pick at least two reviewers: reliability is between raters."]
    if not any(r.has_role(Role.NURSE, Role.DIRECTOR) for r in reviewers) or not all(
        r.has_role(Role.NURSE, Role.DIRECTOR) and r.is_active for r in reviewers
    ):
        errors.setdefault("reviewers", []).append("Reviewers are active nurses or directors.")
    if source not in IrrAudit.Source.values:
        errors["source"] = ["Pick how the audit is sampled."]
    if not 1 <= size <= MAX_ITEMS:
        errors["size"] = [f"Between 1 and {MAX_ITEMS} cases."]
    if errors:
        raise ValidationFailed("The audit could not be built.", field_errors=errors)
    planned = _plan_items(
        source=source,
        size=size,
        vignettes=vignettes,
        reviewer_ids=[r.pk for r in reviewers],
        rng=rng or random.SystemRandom(),
    )
    audit = IrrAudit.objects.create(name=name, source=source, due_date=due_date, created_by=actor)
    assignments = []
    for sequence, plan in enumerate(planned, start=1):
        item = IrrItem.objects.create(
            audit=audit,
            sequence=sequence,
            care_request=plan.care_request,
            service_line=plan.service_line,
            vignette=plan.vignette,
            criteria_set=plan.criteria_set,
            reference_decision=plan.reference_decision,
            reference_answers=plan.reference_answers,
        )
        assignments += [
            IrrAssignment(item=item, reviewer=r) for r in reviewers if r.pk not in plan.originals
        ]
    IrrAssignment.objects.bulk_create(assignments)
    audit_event(
        actor=actor,
        action="irr_audit_create",
        summary=f"IRR audit built: {name}",
        data={"items": len(planned), "assignments": len(assignments), "source": source},
    )
    return audit


@transaction.atomic
def irr_assignment_submit(
    *, assignment: IrrAssignment, reviewer, answers: dict[int, str], notes: dict, decision: str
) -> IrrAssignment:
    """Record a reviewer's blind answers to one item (again while the audit is open). Every
    criterion and the decision must be answered; nothing is written otherwise."""
    locked = (
        IrrAssignment.objects.select_for_update()
        .select_related("item__audit", "item__criteria_set")
        .filter(pk=assignment.pk, reviewer=reviewer)
        .first()
    )
    if locked is None:
        raise NotFound("No such assignment.")
    if locked.item.audit.status != IrrAudit.Status.OPEN:
        raise ValidationFailed("This audit is completed; its answers can no longer change.")
    criteria = list(locked.item.criteria_set.criteria.all())
    errors = {}
    missing = [c.sequence for c in criteria if answers.get(c.pk) not in ANSWERS]
    if missing:
        errors["answers"] = [
            "Answer every criterion: " + ", ".join(str(n) for n in missing) + " not answered."
        ]
    if decision not in Decision.values:
        errors["decision"] = ["Pick a decision."]
    if errors:
        raise ValidationFailed("Nothing was saved.", field_errors=errors)
    locked.answers.all().delete()
    IrrAnswer.objects.bulk_create(
        IrrAnswer(
            assignment=locked,
            criterion=c,
            answer=answers[c.pk],
            note=(notes.get(c.pk) or "")[:2000],
        )
        for c in criteria
    )
    locked.decision = decision
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["decision", "submitted_at"])
    return locked


@transaction.atomic
def irr_audit_complete(*, actor, audit: IrrAudit) -> IrrAudit:
    """Close the audit: its results are final. Unanswered assignments are left out of them."""
    if not actor.has_role(Role.MANAGER):
        raise NotPermitted("Only a UM manager completes IRR audits.")
    locked = IrrAudit.objects.select_for_update().get(pk=audit.pk)
    if locked.status != IrrAudit.Status.OPEN:
        raise ValidationFailed("The audit is already completed.")
    if not IrrAssignment.objects.filter(item__audit=locked, submitted_at__isnull=False).exists():
        raise ValidationFailed("No reviewer has answered yet.")
    locked.status = IrrAudit.Status.COMPLETED
    locked.completed_at = timezone.now()
    locked.save(update_fields=["status", "completed_at"])
    audit_event(
        actor=actor, action="irr_audit_complete", summary=f"IRR audit completed: {locked.name}"
    )
    return locked
