"""An IRR audit's results for the accreditation file: a CSV of every figure and a PDF summary
(rendered by WeasyPrint through determinations' letter renderer, static files only)."""

import csv
import uuid

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from determinations.pdf import html_to_pdf
from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role
from um_portal.audit.models import AccessLog

from ..selectors.irr_results import AuditResults, irr_audit_results
from .irr import _audit, log_case_reads

CSV_HEADER = [
    "criteria_set",
    "row",
    "reviewer",
    "second_reviewer",
    "ratings",
    "agreement_percent",
    "kappa",
    "flagged",
    "discordant_items",
]


def _pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}"


def _k(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def results_rows(results: AuditResults) -> list[list[str]]:
    rows = []
    for group in [results.overall, *results.by_criteria_set]:
        for r in group.reviewers:
            rows.append(
                [
                    group.title,
                    "reviewer vs reference",
                    r.result.reviewer,
                    "",
                    str(r.result.cases),
                    _pct(r.result.agreement),
                    _k(r.result.kappa),
                    "yes" if r.result.flagged else "no",
                    "; ".join(i.label for i in r.discordant_items),
                ]
            )
        for p in group.pairs:
            rows.append(
                [group.title, "pair (Cohen)", p.first, p.second, str(p.questions), "", _k(p.kappa)]
                + ["", ""]
            )
        rows.append(
            [
                group.title,
                "group (Fleiss)",
                "",
                "",
                "",
                "",
                _k(group.fleiss),
                "",
                group.fleiss_reason,
            ]
        )
    return rows


def _filename(results: AuditResults, ext: str) -> str:
    return f"irr-audit-{results.audit.pk}.{ext}"


@role_required(Role.MANAGER)
def irr_results_csv(request, audit_id: uuid.UUID):
    results = irr_audit_results(audit=_audit(audit_id))
    log_case_reads(request, results.items, "irr_results_csv", channel=AccessLog.Channel.EXPORT)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(results, "csv")}"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    writer.writerows(results_rows(results))
    return response


@role_required(Role.MANAGER)
def irr_results_pdf(request, audit_id: uuid.UUID):
    results = irr_audit_results(audit=_audit(audit_id))
    log_case_reads(request, results.items, "irr_results_pdf", channel=AccessLog.Channel.EXPORT)
    html = render_to_string(
        "quality/irr_results_pdf.html",
        {"results": results, "generated_at": timezone.localtime()},
    )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(results, "pdf")}"'
    return response
