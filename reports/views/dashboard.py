from django.http import Http404
from django.shortcuts import render

from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role
from um_portal.audit.services import Channel, audit_access_many
from um_portal.lib.template_formats import day

from .. import charts
from ..csv import DATASETS, dataset_response
from ..selectors import volumes, workload
from .common import bound_filter_form, invalid_filters

TEMPLATE = "reports/dashboard.html"
MAX_THROUGHPUT_WEEKS = 14
# Axis labels must fit under narrow bars; the table beside the chart has the full names.
SHORT_OUTCOME = {
    "partially_approved": "Partial",
    "closed_no_auth_required": "Not required",
}  # wider periods show totals and averages only


def _volume_chart(buckets, filters) -> charts.BarChart:
    fmt = "%b %d" if filters.granularity == "day" else "wk %b %d"
    received = sum(b.received for b in buckets)
    decided = sum(b.decided for b in buckets)
    return charts.bar_chart(
        slug="volumes",
        title=f"Requests received and decided per {filters.granularity}",
        description=(
            f"{received} received and {decided} decided from {day(filters.start)} "
            f"to {day(filters.end)}; the table below lists each {filters.granularity}."
        ),
        categories=[b.start.strftime(fmt) for b in buckets],
        series=[
            ("Received", [b.received for b in buckets], "series-a"),
            ("Decided", [b.decided for b in buckets], "series-b"),
        ],
    )


def _outcome_chart(rows) -> charts.BarChart:
    return charts.bar_chart(
        slug="outcomes",
        title="Cases closed by outcome",
        description="; ".join(f"{r.label}: {r.count}" for r in rows) + ".",
        categories=[SHORT_OUTCOME.get(r.status, r.label) for r in rows],
        series=[("Cases", [r.count for r in rows], "series-a")],
        height=220,
    )


@role_required(Role.MANAGER)
def dashboard(request):
    """The UM manager's dashboard: volumes, outcomes, turnaround, open risk, people, P2P."""
    form = bound_filter_form(request)
    if not form.is_valid():
        return invalid_filters(request, TEMPLATE, form, "dashboard")
    filters = form.filters()
    summary = volumes.volume_summary(filters)
    buckets, outcomes = summary.buckets, summary.outcomes
    throughput = workload.reviewer_throughput(filters)
    weeks = workload.week_starts(filters)
    at_risk = workload.cases_at_risk(filters)
    audit_access_many(
        user=request.user,
        case_ids=[case.id for case in at_risk],
        action="report_at_risk",
        channel=Channel.REPORT,
    )
    context = {
        "tab": "dashboard",
        "form": form,
        "filters": filters,
        "query": filters.querystring(),
        "buckets": buckets,
        "volume_chart": _volume_chart(buckets, filters),
        "received_total": sum(b.received for b in buckets),
        "decided_total": sum(b.decided for b in buckets),
        "outcomes": outcomes,
        "outcome_chart": _outcome_chart(outcomes),
        "time_to_decision": volumes.time_to_decision(filters),
        "rates": summary.rates,
        "open_cases": workload.open_cases_by_time_left(filters),
        "at_risk": at_risk,
        "workload": workload.reviewer_workload(filters),
        "throughput": throughput,
        "throughput_weeks": weeks if len(weeks) <= MAX_THROUGHPUT_WEEKS else [],
        "p2p": workload.p2p_outcomes(filters),
    }
    return render(request, TEMPLATE, context)


@role_required(Role.MANAGER)
def dataset_csv(request, name: str):
    """Any dashboard or timeliness table as CSV, with the page's filters."""
    if name not in DATASETS:
        raise Http404
    form = bound_filter_form(
        request, default_days=TIMELINESS_DAYS if name in TIMELINESS_SETS else None
    )
    if not form.is_valid():
        return invalid_filters(request, TEMPLATE, form, "dashboard")
    return dataset_response(name, form.filters(), user=request.user)


TIMELINESS_SETS = {"timeliness", "late-cases"}
TIMELINESS_DAYS = 365
