"""The "My Care Requests" dashboard. The filters live in the URL (a GET form), so a view can be
bookmarked; htmx asks for the list alone and pushes the URL."""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role
from um_portal.audit.services import Channel, audit_access_many

from ..charts import bar_chart
from ..extensions import dashboard_panels
from ..forms import DashboardFilterForm
from ..selectors.clock import Clock, clock_for
from ..selectors.dashboard import (
    SORTS,
    care_request_page_for_reviewer,
    queue_choices,
    workload_for_user,
)
from ..selectors.routing import case_next_waiting_count


@dataclass(frozen=True)
class DashboardRow:
    """One list row, formatted once here: the template only prints (it renders many rows)."""

    pk: str
    url: str
    member: str
    reference: str
    request_type: str
    priority: str
    priority_label: str
    services: list[tuple[str, str]]  # (code, short service name)
    received_at: datetime | None
    clock: Clock
    stage: str
    lines: str
    missing_documents: int
    assignee: str


SHORT_NAME_CHARS = 28


def short_service_name(line) -> str:
    """A few words naming the service for the list (the full description is on the case)."""
    name = line.plain_description or line.category.name
    if len(name) <= SHORT_NAME_CHARS:
        return name
    return name[: SHORT_NAME_CHARS - 1].rstrip(" ,;-") + "…"


def dashboard_row(case, *, now: datetime) -> DashboardRow:
    return DashboardRow(
        pk=str(case.pk),
        url=reverse("review:case", args=[case.pk]),
        member=f"{case.member.last_name}, {case.member.first_name}",
        reference=case.reference,
        request_type=case.get_request_type_display(),
        priority=case.priority,
        priority_label=case.get_priority_display(),
        services=[(line.code, short_service_name(line)) for line in case.service_lines.all()],
        received_at=case.received_at,
        clock=clock_for(case, now=now),
        stage=case.get_status_display(),
        lines=f"{case.lines_decided} / {case.lines_total}",
        missing_documents=case.missing_documents,
        assignee=case.assigned_to.display_name if case.assigned_to else "",
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


def _tile_links() -> dict[str, str]:
    """Each workload tile opens the list filtered to the cases it counts (the user's own open
    cases, like the tiles)."""
    base = {"scope": "mine", "status": "open"}
    links = {
        "open": base,
        "due_today": {**base, "due": "today"},
        "at_risk": {**base, "due": "at_risk"},
        "overdue": {**base, "due": "overdue"},
        "pending_info": {**base, "status": "pending_info"},
    }
    return {tile: "?" + urlencode(params) for tile, params in links.items()}


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


@role_required(Role.NURSE, Role.DIRECTOR)
@require_GET
def dashboard(request):
    now = timezone.now()
    queues = queue_choices()
    form = DashboardFilterForm(request.GET, user=request.user, queues=queues)
    filters = form.filters()
    page = care_request_page_for_reviewer(user=request.user, filters=filters, now=now)
    rows = [dashboard_row(case, now=now) for case in page.object_list]
    audit_access_many(
        user=request.user,
        case_ids=[case.pk for case in page.object_list],
        action="dashboard_list",
        channel=Channel.STAFF,
    )
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
            tile_links=_tile_links(),
            waiting=case_next_waiting_count(user=request.user),
            status_chart=bar_chart("My open cases by stage", workload.by_status),
            time_chart=bar_chart("My open cases by time left", workload.by_time_left),
            panels=dashboard_panels(request.user, now),
        )
        response = render(request, "review/dashboard.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response
