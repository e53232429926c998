"""Which cases a report looks at: the plan, line of business and service category filters,
applied to care requests or to rows that hang off them (determinations, P2P requests)."""

from django.db.models import Exists, OuterRef, Q, QuerySet

from intake.models import CareRequest, ServiceLine
from intake.models.care_request import CareRequestStatus as S

from ..filters import ReportFilters

# A case "is decided" at decided_at with one of these final statuses (approval percentages).
DECIDED = (S.APPROVED, S.PARTIALLY_APPROVED, S.DENIED)
# Closed with a decision date: the decided ones and "no authorization required".
CLOSED_WITH_DECISION = (*DECIDED, S.CLOSED_NO_AUTH_REQUIRED)
# Closed without a decision: counted in volumes, never in approval percentages.
CLOSED_WITHOUT_DECISION = (S.WITHDRAWN, S.VOIDED)
# Received and not yet decided: the clock runs.
OPEN = (S.SUBMITTED, S.PENDING_INFO, S.NURSE_REVIEW, S.MD_REVIEW)


def case_q(*, plan=None, lob: str = "", category=None, path: str = "", outer: str = "pk") -> Q:
    """A Q object for the plan / line-of-business / category filters.

    `path` is the relation from the queried model to CareRequest ("" for CareRequest itself,
    "care_request__" for rows that belong to a case); `outer` names the case key for the
    category subquery. A case belongs to a category when any of its lines does; an EXISTS
    keeps one row per case where a join would repeat it per line.
    """
    q = Q()
    if plan is not None:
        q &= Q(**{f"{path}coverage__plan": plan})
    if lob:
        q &= Q(**{f"{path}coverage__plan__line_of_business": lob})
    if category is not None:
        lines = ServiceLine.objects.filter(care_request=OuterRef(outer), category=category)
        q &= Q(Exists(lines))
    return q


def filters_q(filters: ReportFilters, *, path: str = "", outer: str = "pk") -> Q:
    return case_q(
        plan=filters.plan, lob=filters.lob, category=filters.category, path=path, outer=outer
    )


def cases(filters: ReportFilters) -> QuerySet[CareRequest]:
    """Care requests in the filters' plan / line / category, unordered (for aggregates)."""
    return CareRequest.objects.filter(filters_q(filters)).order_by()


def received_in_period(filters: ReportFilters) -> QuerySet[CareRequest]:
    return cases(filters).filter(received_at__gte=filters.start_at, received_at__lt=filters.end_at)


def decided_in_period(filters: ReportFilters, statuses=DECIDED) -> QuerySet[CareRequest]:
    return cases(filters).filter(
        status__in=statuses, decided_at__gte=filters.start_at, decided_at__lt=filters.end_at
    )
