"""CSV downloads of every report view, with the same filters as the page.

Cells that a spreadsheet would run as a formula (=, +, -, @ at the start of text) are
prefixed with a quote (OWASP "CSV injection"); numbers stay numbers.
"""

import csv
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.http import StreamingHttpResponse
from django.utils import timezone

from intake.models import LineOfBusiness, Priority
from intake.models.care_request import CareRequestStatus as S
from um_portal.audit.services import Channel, audit_access_many

from .filters import ReportFilters
from .selectors import cms0057, timeliness, volumes, workload

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, timedelta):
        return f"{value.total_seconds() / 3600:.2f}"
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(
    filename: str,
    header: list[str],
    rows: Iterable[Iterable],
    *,
    on_done: Callable[[], None] | None = None,
):
    """Stream the rows (the late-case list can be long) as a UTF-8 CSV attachment; `on_done`
    runs once the last row went out (the access log of the cases it listed)."""
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([cell(v) for v in row])
        if on_done is not None:
            on_done()

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _noting(rows: Iterable, seen: list | None, key: Callable) -> Iterable:
    """The rows, each one's case id appended to `seen` as it goes out."""
    for row in rows:
        if seen is not None:
            seen.append(key(row))
        yield row


def _lob(value: str) -> str:
    return LineOfBusiness(value).label if value else "All"


def _priority(value: str) -> str:
    return Priority(value).label


# --- dashboard datasets: name -> (header, rows(filters)) ---------------------------------------


def volumes_rows(f: ReportFilters):
    return (
        [f"{f.granularity} starting", "received", "decided"],
        ((b.start, b.received, b.decided) for b in volumes.volumes(f)),
    )


def outcomes_rows(f: ReportFilters):
    return (
        ["outcome", "cases", "percent of decided"],
        ((r.label, r.count, r.share) for r in volumes.outcomes(f)),
    )


def time_to_decision_rows(f: ReportFilters):
    return (
        ["priority", "line of business", "decided", "mean hours", "median hours", "p90 hours"],
        (
            (r.priority_label, r.lob_label, s.count, s.mean, s.median, s.p90)
            for r in volumes.time_to_decision(f)
            for s in [r.stats]
        ),
    )


def rates_rows(f: ReportFilters):
    r = volumes.rates(f)
    return (
        ["measure", "cases", "out of", "percent"],
        [
            ("auto-approved (of decided)", r.auto_approved, r.decided, r.auto_approval_rate),
            ("pended for information (of received)", r.pended, r.received, r.pend_rate),
        ],
    )


def open_cases_rows(f: ReportFilters):
    return (
        ["priority", "open", "overdue", "at risk", "due < 24 h", "due 24-72 h", "due later"],
        (
            (r.priority_label, r.open, r.overdue, r.at_risk, r.due_24h, r.due_72h, r.due_later)
            for r in workload.open_cases_by_time_left(f)
        ),
    )


def at_risk_rows(f: ReportFilters, seen: list | None = None):
    return (
        ["reference", "priority", "status", "line of business", "due", "time left", "assignee"],
        (
            (
                c.reference,
                _priority(c.priority),
                S(c.status).label,
                _lob(c.lob),
                c.due_at,
                c.time_left,
                c.assignee,
            )
            for c in _noting(workload.cases_at_risk(f, limit=None), seen, lambda c: c.id)
        ),
    )


def workload_rows(f: ReportFilters):
    return (
        ["reviewer", "open cases", "expedited", "overdue"],
        ((r.reviewer, r.open, r.expedited, r.overdue) for r in workload.reviewer_workload(f)),
    )


def throughput_rows(f: ReportFilters):
    weeks = workload.week_starts(f)
    return (
        ["reviewer", "decisions", "weekly average", *(f"week of {w.isoformat()}" for w in weeks)],
        (
            (r.reviewer, r.total, r.weekly_average, *(r.per_week.get(w, 0) for w in weeks))
            for r in workload.reviewer_throughput(f)
        ),
    )


def p2p_rows(f: ReportFilters):
    p = workload.p2p_outcomes(f)
    rows = [(f"status: {status}", n) for status, n in p.by_status.items()]
    rows += [
        ("outcome: upheld", p.upheld),
        ("outcome: changed, approved as requested", p.approved),
        ("outcome: changed, reopened for a new decision", p.reopened),
        ("outcome: changed", p.changed),
        ("changed, % of completed calls", "" if p.changed_rate is None else p.changed_rate),
    ]
    return ["measure", "peer-to-peer requests"], rows


def timeliness_rows(f: ReportFilters):
    return (
        [
            "month",
            "priority",
            "line of business",
            "decided",
            "decided on time",
            "decided late",
            "decided on time %",
            "notified on time",
            "notified late",
            "not notified",
            "notified on time %",
        ],
        (
            (
                r.month.strftime("%Y-%m"),
                r.priority_label,
                r.lob_label,
                r.decided,
                r.on_time,
                r.late,
                r.on_time_rate,
                r.notified_on_time,
                r.notified_late,
                r.not_notified,
                r.notified_on_time_rate,
            )
            for r in timeliness.timeliness(f)
        ),
    )


def late_cases_rows(f: ReportFilters, seen: list | None = None):
    return (
        ["reference", "priority", "line of business", "received", "due", "decided", "hours late"],
        (
            (
                c["reference"],
                _priority(c["priority"]),
                _lob(c["lob"]),
                c["received_at"],
                c["due_at"],
                c["decided_at"],
                c["lateness"],
            )
            for c in _noting(
                timeliness.late_cases(f).iterator(chunk_size=2000), seen, lambda c: c["id"]
            )
        ),
    )


DATASETS: dict[str, tuple[str, Callable]] = {
    "volumes": ("Volumes", volumes_rows),
    "outcomes": ("Decisions by outcome", outcomes_rows),
    "time-to-decision": ("Time to decision", time_to_decision_rows),
    "rates": ("Auto-approval and pend rates", rates_rows),
    "open-cases": ("Open cases by time left", open_cases_rows),
    "at-risk-cases": ("Cases at risk and overdue", at_risk_rows),
    "workload": ("Reviewer workload", workload_rows),
    "throughput": ("Reviewer throughput", throughput_rows),
    "p2p": ("Peer-to-peer outcomes", p2p_rows),
    "timeliness": ("Timeliness", timeliness_rows),
    "late-cases": ("Late decisions", late_cases_rows),
}


# Datasets that list cases: their downloads are logged, a row per case (45 CFR 164.312(b)).
CASE_DATASETS = {"at-risk-cases", "late-cases"}


def dataset_response(name: str, filters: ReportFilters, *, user=None):
    _, build = DATASETS[name]
    filename = f"{name}-{filters.start.isoformat()}-{filters.end.isoformat()}.csv"
    if name not in CASE_DATASETS:
        header, rows = build(filters)
        return csv_response(filename, header, rows)
    seen: list = []
    header, rows = build(filters, seen)

    def log_export() -> None:
        audit_access_many(user=user, case_ids=seen, action=f"export_{name}", channel=Channel.EXPORT)

    return csv_response(filename, header, rows, on_done=log_export)


# --- CMS-0057-F -------------------------------------------------------------------------------


def cms0057_rows(report: cms0057.Cms0057Report) -> list[list]:
    rows: list[list] = [
        ["report", f"CMS-0057-F prior authorization metrics {report.year}"],
        ["scope", report.scope_label],
        ["generated", report.generated_at],
        [],
        ["metric", "standard", "expedited"],
    ]
    s, e = report.standard, report.expedited
    rows += [
        ["requests decided", s.decided, e.decided],
        ["approved %", s.approved_pct, e.approved_pct],
        ["partially approved %", s.partially_approved_pct, e.partially_approved_pct],
        ["denied %", s.denied_pct, e.denied_pct],
        ["approved after appeal %", s.approved_after_appeal_pct, e.approved_after_appeal_pct],
        [
            "approved after an extension %",
            s.approved_after_extension_pct,
            e.approved_after_extension_pct,
        ],
        ["average hours receipt to determination", s.time.mean, e.time.mean],
        ["median hours receipt to determination", s.time.median, e.time.median],
        [],
        ["items and services that require prior authorization"],
        ["category", "code system", "code", "description", "conditions"],
    ]
    rows += [
        [i.category, i.system_label, i.code, i.description, i.conditions] for i in report.items
    ]
    return rows


def cms0057_response(report: cms0057.Cms0057Report):
    rows = cms0057_rows(report)
    scope = report.lob or (f"plan-{report.plan.pk}" if report.plan else "all")
    return csv_response(f"cms-0057-f-{report.year}-{scope}.csv", rows[0], rows[1:])
