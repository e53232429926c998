"""Reads for IRR audits: the decided cases an audit may sample, the audits, a reviewer's blind
assignments and the annual schedule."""

import calendar
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from determinations.models import LineDecision
from intake.models import CareRequest, ServiceLine
from reports.selectors.scope import DECIDED
from review.models import CriteriaSet, CriterionAnswer
from um_portal.accounts.roles import Role
from um_portal.lib.errors import NotFound

from ..models import Decision, IrrAnswer, IrrAssignment, IrrAudit, IrrItem, IrrSettings

L = LineDecision.Outcome
# A line's final decision as a reference decision; "no authorization required" is no decision
# on medical necessity, so such a line is never sampled.
REFERENCE_DECISION = {
    L.APPROVED: Decision.APPROVE,
    L.MODIFIED: Decision.NOT_APPROVE,
    L.DENIED: Decision.NOT_APPROVE,
}


def reviewer_name(user) -> str:
    name = user.get_full_name() or user.username
    return f"{name}, {user.credentials}" if getattr(user, "credentials", "") else name


@dataclass
class Candidate:
    """A decided case's service line with its original reviewer's answers and decision."""

    care_request: CareRequest
    service_line: ServiceLine
    criteria_set: CriteriaSet
    reference_decision: str
    reference_answers: dict[str, str]
    nurse_id: int
    originals: set[int] = field(default_factory=set)

    @property
    def stratum(self) -> tuple:
        return (self.nurse_id, self.service_line.category_id)


def irr_candidates() -> list[Candidate]:
    """Every line of a decided case that a nurse answered criteria for and that has a final
    approve/deny line decision, with the latest completed nurse review's answers as the
    reference. Two queries whatever the number of cases."""
    answers = (
        CriterionAnswer.objects.filter(
            nurse_review__completed_at__isnull=False,
            nurse_review__care_request__status__in=DECIDED,
        )
        .select_related(
            "nurse_review", "criteria_set", "service_line__care_request", "service_line__category"
        )
        .order_by("nurse_review__completed_at", "criterion__sequence")
    )
    by_line: dict = {}
    for answer in answers:
        review = answer.nurse_review
        current = by_line.get(answer.service_line_id)
        if current is None or current["review"] != review.pk:
            # A later completed review of the same line replaces the earlier one.
            current = by_line[answer.service_line_id] = {
                "review": review.pk,
                "nurse": review.nurse_id,
                "line": answer.service_line,
                "set": answer.criteria_set,
                "answers": {},
            }
        current["answers"][str(answer.criterion_id)] = answer.answer
    decisions = (
        LineDecision.objects.filter(service_line_id__in=by_line)
        .select_related("determination")
        .order_by("determination__decided_at")
    )
    final: dict = {}
    deciders: dict[object, set[int]] = {}
    for decision in decisions:
        final[decision.service_line_id] = decision.outcome
        if decision.determination.decided_by_id:
            deciders.setdefault(decision.service_line_id, set()).add(
                decision.determination.decided_by_id
            )
    candidates = []
    for line_id, found in by_line.items():
        reference = REFERENCE_DECISION.get(final.get(line_id))
        if reference is None:
            continue
        candidates.append(
            Candidate(
                care_request=found["line"].care_request,
                service_line=found["line"],
                criteria_set=found["set"],
                reference_decision=reference,
                reference_answers=found["answers"],
                nurse_id=found["nurse"],
                originals={found["nurse"], *deciders.get(line_id, set())},
            )
        )
    candidates.sort(key=lambda c: (c.care_request.reference, c.service_line.sequence))
    return candidates


def irr_reviewer_choices():
    """Active nurses and directors, the people an audit may be assigned to."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[Role.NURSE, Role.DIRECTOR])
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def irr_audit_list() -> list[IrrAudit]:
    """Audits, newest first, with their item and answered-assignment counts (one query)."""
    return list(
        IrrAudit.objects.select_related("created_by").annotate(
            item_count=Count("items", distinct=True),
            assignment_count=Count("items__assignments", distinct=True),
            submitted_count=Count(
                "items__assignments",
                filter=Q(items__assignments__submitted_at__isnull=False),
                distinct=True,
            ),
        )
    )


def irr_audit_get(*, audit_id) -> IrrAudit:
    audit = IrrAudit.objects.select_related("created_by").filter(pk=audit_id).first()
    if audit is None:
        raise NotFound("No such audit.")
    return audit


def irr_items_with_answers(*, audit: IrrAudit) -> list[IrrItem]:
    """The audit's items with their criteria, vignette, case and every assignment's answers:
    a fixed number of queries whatever the size of the audit."""
    assignments = IrrAssignment.objects.select_related("reviewer").prefetch_related(
        Prefetch("answers", queryset=IrrAnswer.objects.order_by("criterion__sequence"))
    )
    return list(
        audit.items.select_related("care_request", "service_line", "vignette", "criteria_set")
        .prefetch_related("criteria_set__criteria", Prefetch("assignments", queryset=assignments))
        .order_by("sequence")
    )


def irr_assignment_list_for_reviewer(*, user) -> list[IrrAssignment]:
    """The user's assignments in open audits, unanswered first."""
    return list(
        IrrAssignment.objects.filter(reviewer=user, item__audit__status=IrrAudit.Status.OPEN)
        .select_related("item__audit", "item__vignette", "item__criteria_set")
        .order_by("submitted_at", "item__audit__due_date", "item__sequence")
    )


def irr_assignment_get_for_reviewer(*, user, assignment_id) -> IrrAssignment:
    """The assignment if it is this user's own; NotFound otherwise (another reviewer's
    assignment is not revealed)."""
    assignment = (
        IrrAssignment.objects.filter(pk=assignment_id, reviewer=user)
        .select_related(
            "item__audit", "item__vignette", "item__service_line__category", "item__criteria_set"
        )
        .prefetch_related("answers", "item__criteria_set__criteria")
        .first()
    )
    if assignment is None:
        raise NotFound("No such assignment.")
    return assignment


@dataclass(frozen=True)
class IrrSchedule:
    month: int
    due: date
    last_completed: IrrAudit | None
    overdue: bool


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def irr_settings() -> IrrSettings:
    return IrrSettings.objects.first() or IrrSettings()


def irr_schedule(*, today: date | None = None) -> IrrSchedule:
    """When the next annual audit is due: by the end of the plan's audit month each year. An
    audit completed this year covers this year, so the next one is due next year. Two queries."""
    today = today or timezone.localdate()
    month = irr_settings().audit_month
    last = (
        IrrAudit.objects.filter(status=IrrAudit.Status.COMPLETED).order_by("-completed_at").first()
    )
    done_this_year = last is not None and timezone.localtime(last.completed_at).year == today.year
    due = _month_end(today.year + 1 if done_this_year else today.year, month)
    return IrrSchedule(month=month, due=due, last_completed=last, overdue=today > due)
