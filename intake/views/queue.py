"""The intake work queue."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role
from um_portal.audit.services import Channel, audit_access_many
from um_portal.lib.clock import clock_display

from ..forms import QueueFilterForm
from ..selectors import INTAKE_READERS, care_request_queue_for_user

PAGE_SIZE = 25


@role_required(*INTAKE_READERS)
def queue(request: HttpRequest) -> HttpResponse:
    """Received requests waiting on intake, most urgent first; filters live in the URL."""
    filters = QueueFilterForm(request.GET)
    status = 200
    if filters.is_valid():
        chosen = filters.cleaned_data
    else:
        # A hand-edited URL: say what was wrong and show the unfiltered queue.
        chosen = {}
        status = 400
    cases = care_request_queue_for_user(
        user=request.user,
        status=chosen.get("status", ""),
        priority=chosen.get("priority", ""),
        channel=chosen.get("channel", ""),
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [
        {"case": case, "clock": clock_display(case.received_at, case.due_at, now)} for case in page
    ]
    audit_access_many(
        user=request.user,
        case_ids=[row["case"].pk for row in rows],
        action="queue_list",
        channel=Channel.STAFF,
    )
    return render(
        request,
        "intake/queue.html",
        {
            "filters": filters,
            "page": page,
            "rows": rows,
            "can_enter": request.user.has_role(Role.INTAKE),
        },
        status=status,
    )
