from django.core.paginator import Paginator
from django.shortcuts import render

from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role
from um_portal.audit.services import Channel, audit_access_many

from ..selectors import timeliness
from .common import bound_filter_form, invalid_filters

TEMPLATE = "reports/timeliness.html"
DEFAULT_DAYS = 365
LATE_PER_PAGE = 50


@role_required(Role.MANAGER)
def timeliness_page(request):
    """NCQA UM 5 timeliness: on-time decisions and notifications, and the late cases."""
    form = bound_filter_form(request, default_days=DEFAULT_DAYS)
    if not form.is_valid():
        return invalid_filters(request, TEMPLATE, form, "timeliness")
    filters = form.filters()
    rows = timeliness.timeliness(filters)
    page = Paginator(timeliness.late_cases(filters), LATE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    late_cases = timeliness.as_late_cases(page.object_list)
    audit_access_many(
        user=request.user,
        case_ids=[case.id for case in late_cases],
        action="report_late_cases",
        channel=Channel.REPORT,
    )
    context = {
        "tab": "timeliness",
        "form": form,
        "filters": filters,
        "query": filters.querystring(),
        "rows": rows,
        "by_month": timeliness.subtotals(rows, by="month"),
        "by_priority": timeliness.subtotals(rows, by="priority"),
        "by_lob": timeliness.subtotals(rows, by="lob"),
        "total": (timeliness.subtotals(rows, by="") or [timeliness.TimelinessRow(None, "", "")])[0],
        "late_page": page,
        "late_cases": late_cases,
    }
    return render(request, TEMPLATE, context)
