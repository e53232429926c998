"""What the Patient Access API returns for a member (CMS-0057-F): prior authorizations that
are pending or active, and those whose status changed within the last year."""

from datetime import timedelta

from django.db.models import Max, OuterRef, Q, Subquery
from django.utils import timezone

from determinations.models import DenialReason, LineDecision
from intake.models import CareRequest, Coverage, Member
from intake.models.care_request import OPEN_STATUSES, CareRequestStatus

LOOKBACK = timedelta(days=365)
# A draft is the office's unfinished work and a voided request was entered in error: neither
# is a prior authorization.
NOT_AUTHORIZATIONS = (CareRequestStatus.DRAFT, CareRequestStatus.VOIDED)


def member_prior_authorizations(member: Member, *, now=None) -> list[CareRequest]:
    """Pending, still active, or changed within LOOKBACK; each with its lines, coverage, plan,
    providers and each line's decision in force (`line.decision_in_force`) — four queries."""
    now = now or timezone.now()
    cases = list(
        CareRequest.objects.filter(member=member)
        .exclude(status__in=NOT_AUTHORIZATIONS)
        .annotate(last_change=Max("status_events__at"))
        .filter(
            Q(status__in=OPEN_STATUSES)
            | Q(last_change__gte=now - LOOKBACK)
            | Q(service_lines__approved_end__gte=timezone.localdate(now))
        )
        .distinct()
        .select_related("coverage__plan", "requesting_provider", "servicing_provider")
        .prefetch_related("service_lines")
        .order_by("-received_at", "-created_at")
    )
    newest = (
        LineDecision.objects.filter(service_line=OuterRef("service_line"))
        .order_by("-determination__decided_at", "-pk")
        .values("pk")[:1]
    )
    reasons = DenialReason.objects.filter(code=OuterRef("reason_code"))
    decisions = {
        ld.service_line_id: ld
        for ld in LineDecision.objects.filter(
            service_line__care_request__in=cases, pk=Subquery(newest)
        )
        .select_related("determination")
        .annotate(reason_text=Subquery(reasons.values("plain_language")[:1]))
    }
    for case in cases:
        for line in case.service_lines.all():
            line.decision_in_force = decisions.get(line.pk)
    return cases


def member_coverages(member: Member) -> list[Coverage]:
    return list(Coverage.objects.filter(member=member).select_related("plan"))
