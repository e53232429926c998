"""The "My Care Requests" dashboard. The filters live in the URL (a GET form), so a view can be
bookmarked; htmx asks for the list alone and pushes the URL."""

from urllib.parse import urlencode

from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role

from ..charts import bar_chart
from ..forms import DashboardFilterForm
from ..selectors.clock import clock_for
from ..selectors.dashboard import (
    SORTS,
    care_request_page_for_reviewer,
    queue_choices,
    workload_for_user,
)

# Column headers that sort, with the sort key for ascending order.
SORTABLE = {"member": "member", "received": "received", "due": "due", "priority": "priority"}


def _sort_links(filters) -> dict[str, dict]:
    """For each sortable column: the URL that sorts by it (toggling direction) and aria-sort."""
    links = {}
    for column, key in SORTABLE.items():
        current = filters.sort.lstrip("-") == key
        descending = filters.sort.startswith("-")
        target = f"-{key}" if current and not descending and f"-{key}" in SORTS else key
        aria = "none"
        if current:
            aria = "descending" if descending else "ascending"
        links[column] = {
            "url": "?" + urlencode(filters.query_items(sort=target, page=1)),
            "aria": aria,
        }
    return links


FILTER_FIELDS = ("status", "priority", "queue", "request_type", "due", "scope", "per_page")


def _filter_fields(form, filters) -> list[dict]:
    """The filter selects with the effective value (defaults included) selected."""
    fields = []
    for name in FILTER_FIELDS:
        field = form.fields[name]
        current = "" if getattr(filters, name) is None else str(getattr(filters, name))
        fields.append(
            {
                "name": name,
                "label": field.label or name.replace("_", " ").capitalize(),
                "options": [(str(v), t, str(v) == current) for v, t in field.choices],
            }
        )
    return fields


@require_GET
@role_required(Role.NURSE, Role.DIRECTOR)
def dashboard(request):
    now = timezone.now()
    queues = queue_choices()
    form = DashboardFilterForm(request.GET, user=request.user, queues=queues)
    filters = form.filters()
    page = care_request_page_for_reviewer(user=request.user, filters=filters, now=now)
    rows = [(case, clock_for(case, now=now)) for case in page.object_list]
    context = {
        "filter_fields": _filter_fields(form, filters),
        "filters": filters,
        "page": page,
        "rows": rows,
        "sort_links": _sort_links(filters),
        "prev_url": "?" + urlencode(filters.query_items(page=page.number - 1))
        if page.has_previous()
        else "",
        "next_url_page": "?" + urlencode(filters.query_items(page=page.number + 1))
        if page.has_next()
        else "",
    }
    # htmx swaps only the list; a history restore (back button after a swap) needs the page.
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "review/includes/case_list.html", context)
    else:
        workload = workload_for_user(user=request.user, now=now)
        context.update(
            workload=workload,
            status_chart=bar_chart("My open cases by stage", workload.by_status),
            time_chart=bar_chart("My open cases by time left", workload.by_time_left),
        )
        response = render(request, "review/dashboard.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response
