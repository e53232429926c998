"""Reads for appeals, always scoped to the user who asks (STYLE: selectors).

Staff see every appeal; a provider sees the appeals on requests granted to their organisation
(care_request_scope_for_user, ADR 0004); an appeal outside the scope answers 404.
"""

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from determinations.models import Determination, LineDecision
from intake.apis.selectors import care_request_scope_for_user, user_is_staff
from um_portal.accounts.roles import Role
from um_portal.lib.clock import clock_display
from um_portal.lib.errors import NotFound

from .models import DECIDED_STATUSES, OPEN_STATUSES, Appeal, AppealDocument, AppealLine
from .permissions import eligible_deciders


def appeal_scope_for_user(user, *, perm: str = "view") -> QuerySet[Appeal]:
    if user_is_staff(user):
        return Appeal.objects.all()
    return Appeal.objects.filter(care_request__in=care_request_scope_for_user(user, perm=perm))


def _with_details(qs: QuerySet[Appeal]) -> QuerySet[Appeal]:
    return qs.select_related(
        "care_request__member",
        "care_request__coverage__plan",
        "assigned_to",
        "decision",
    ).prefetch_related(
        Prefetch(
            "lines",
            queryset=AppealLine.objects.select_related("service_line__category"),
        ),
        Prefetch("documents", queryset=AppealDocument.objects.select_related("document")),
    )


def appeal_list_for_user(user, *, status: list[str] | None = None) -> QuerySet[Appeal]:
    """Newest first, with what a row shows."""
    qs = _with_details(appeal_scope_for_user(user))
    if status:
        qs = qs.filter(status__in=status)
    return qs.order_by("-created_at", "-id")


def appeal_get_for_user(user, appeal_id, *, perm: str = "view") -> Appeal:
    """One appeal the user may see, or NotFound."""
    appeal = _with_details(appeal_scope_for_user(user, perm=perm)).filter(pk=appeal_id).first()
    if appeal is None:
        raise NotFound("No such appeal.")
    return appeal


def appeal_worklist(user, *, now=None) -> list[dict]:
    """Open appeals, most urgent first (expedited, then earliest due), with time left; a
    physician sees the ones assigned to them or to nobody."""
    now = now or timezone.now()
    qs = _with_details(Appeal.objects.filter(status__in=OPEN_STATUSES)).order_by(
        "-priority", "due_at"
    )
    if user.has_role(Role.DIRECTOR) and not user.has_role(Role.MANAGER):
        qs = qs.filter(Q(assigned_to=user) | Q(assigned_to__isnull=True))
    return [{"appeal": a, "clock": clock_display(a.received_at, a.due_at, now)} for a in qs[:200]]


def appeals_for_case(care_request) -> list[Appeal]:
    return list(
        Appeal.objects.filter(care_request=care_request)
        .prefetch_related(
            Prefetch("lines", queryset=AppealLine.objects.select_related("service_line"))
        )
        .order_by("-created_at")
    )


def appealable_lines(care_request) -> list:
    """Service lines denied or reduced in the decision in force and not under an open appeal."""
    from .services.filing import ADVERSE

    busy = AppealLine.objects.filter(
        appeal__care_request=care_request, appeal__status__in=OPEN_STATUSES
    ).values("service_line")
    return list(
        care_request.service_lines.filter(decision__in=ADVERSE)
        .exclude(pk__in=busy)
        .select_related("category")
        .order_by("sequence")
    )


def appeal_deciders(appeal: Appeal) -> list:
    return list(eligible_deciders(appeal))


def case_file_context(appeal: Appeal) -> dict:
    """What the IRE case file shows: the request, every determination, the criteria cited, the
    documents list and the physicians' explanations."""
    case = appeal.care_request
    determinations = list(
        Determination.objects.filter(care_request=case)
        .prefetch_related(
            Prefetch(
                "line_decisions",
                queryset=LineDecision.objects.select_related("service_line__category"),
            )
        )
        .order_by("decided_at")
    )
    return {
        "appeal": appeal,
        "case": case,
        "member": case.member,
        "plan": case.coverage.plan,
        "lines": list(case.service_lines.select_related("category").order_by("sequence")),
        "diagnoses": list(case.diagnoses.all()),
        "determinations": determinations,
        "criteria": [c for d in determinations for c in d.criteria_cited],
        "documents": list(case.documents.order_by("uploaded_at")),
        "appeal_lines": list(appeal.lines.select_related("service_line")),
        "generated_at": timezone.now(),
    }


def is_decided(appeal: Appeal) -> bool:
    return appeal.status in DECIDED_STATUSES


def appeal_dashboard_panel(user, now) -> dict | None:
    """The reviewers' dashboard panel (review.extensions): open appeals for this reviewer
    (a physician: assigned to them or to nobody; a nurse: all open), with time left."""
    rows = appeal_worklist(user, now=now)
    if not rows:
        return None
    return {
        "template": "appeals/includes/dashboard_panel.html",
        "rows": rows[:10],
        "mine": user.has_role(Role.DIRECTOR),
        "at_risk": sum(r["clock"]["state"] == "at-risk" for r in rows),
        "overdue": sum(r["clock"]["state"] == "overdue" for r in rows),
    }
