from django.http import HttpResponse
from django.shortcuts import render

from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role

from ..csv import csv_response
from ..selectors import appeals
from .common import bound_filter_form, invalid_filters

TEMPLATE = "reports/appeals.html"


@role_required(Role.MANAGER)
def appeals_page(request):
    """Appeal volumes, overturn rates (by original reason and reviewer), timeliness."""
    form = bound_filter_form(request)
    if not form.is_valid():
        return invalid_filters(request, TEMPLATE, form, "appeals")
    f = form.filters()
    context = {
        "tab": "appeals",
        "form": form,
        "filters": f,
        "query": f.querystring(),
        "volumes": appeals.appeal_volumes(f),
        "by_reason": appeals.overturn_by_reason(f),
        "by_reviewer": appeals.overturn_by_reviewer(f),
        "timeliness": appeals.appeal_timeliness(f),
    }
    return render(request, TEMPLATE, context)


@role_required(Role.MANAGER)
def appeals_csv(request) -> HttpResponse:
    form = bound_filter_form(request)
    if not form.is_valid():
        return invalid_filters(request, TEMPLATE, form, "appeals")
    f = form.filters()
    v, t = appeals.appeal_volumes(f), appeals.appeal_timeliness(f)
    rows: list[list] = [
        ["section", "label", "count", "of", "percent"],
        *[
            ["volumes", key, v[key], "", ""]
            for key in (
                "received",
                "open",
                "upheld",
                "partially_overturned",
                "overturned",
                "at_ire",
                "dismissed",
                "withdrawn",
                "expedited",
            )
        ],
        *[
            ["overturn by original reason", r.label, r.overturned, r.decided, r.rate]
            for r in appeals.overturn_by_reason(f)
        ],
        *[
            ["overturn by original reviewer", r.label, r.overturned, r.decided, r.rate]
            for r in appeals.overturn_by_reviewer(f)
        ],
        ["timeliness", "decided on time", t["on_time"], t["decided"], t["on_time_pct"]],
        [
            "timeliness",
            "expedited decided on time",
            t["expedited_on_time"],
            t["expedited"],
            t["expedited_on_time_pct"],
        ],
        [
            "timeliness",
            "forwarded to the IRE on time",
            t["forwarded_on_time"],
            t["forwarded"],
            t["forwarded_on_time_pct"],
        ],
    ]
    name = f"appeals-{f.start.isoformat()}-{f.end.isoformat()}.csv"
    return csv_response(name, rows[0], rows[1:])
