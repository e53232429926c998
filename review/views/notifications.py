"""The user's own clock warnings: the list, "mark read" and "mark all read". Every staff role
gets warnings (assignee or queue lead), so every staff role has the page."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from intake.models.care_request import CLOCK_STATUSES
from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import STAFF_ROLES
from um_portal.audit.services import Channel, audit_access_many
from um_portal.lib.clock import clock_display
from um_portal.lib.errors import NotFound
from um_portal.lib.paging import page_number

from ..models import Notification
from ..selectors.notifications import notification_page_for_user
from ..services.notifications import notification_mark_all_read, notification_mark_read
from .common import case_page_url


@dataclass(frozen=True)
class NotificationRow:
    """One warning as the list shows it, formatted here once: the template only prints."""

    pk: str
    kind: str
    kind_label: str
    reference: str
    case_url: str
    deadline_label: str  # "due in 3 h", "overdue 2 h": the deadline the warning was about
    deadline_state: str  # "ok", "at-risk", "overdue": the CSS class of the label
    due_at: datetime
    created_at: datetime
    unread: bool
    since: str  # what changed since the warning: the case decided, or its deadline extended


def _since(notification: Notification, *, now: datetime) -> str:
    case = notification.care_request
    if case.status not in CLOCK_STATUSES:
        return f"Now {case.get_status_display().lower()}; the clock has stopped."
    if case.due_at and case.due_at != notification.due_at:
        moved = clock_display(case.received_at, case.due_at, now)["label"]
        return f"Deadline since moved: {moved}."
    return ""


def notification_row(notification: Notification, *, user, now: datetime) -> NotificationRow:
    case = notification.care_request
    clock = clock_display(case.received_at, notification.due_at, now)
    return NotificationRow(
        pk=str(notification.pk),
        kind=notification.kind,
        kind_label=notification.get_kind_display(),
        reference=case.reference,
        case_url=case_page_url(user, case.pk),
        deadline_label=clock["label"],
        deadline_state=clock["state"],
        due_at=notification.due_at,
        created_at=notification.created_at,
        unread=notification.read_at is None,
        since=_since(notification, now=now),
    )


def _back_to_list(request: HttpRequest) -> HttpResponse:
    """Back to the list as the user was looking at it (filter and page)."""
    query = {}
    if request.POST.get("show") == "unread":
        query["show"] = "unread"
    page = page_number(request.POST.get("page"))
    if page > 1:
        query["page"] = page
    url = reverse("review:notifications")
    return redirect(f"{url}?{urlencode(query)}" if query else url)


@role_required(*STAFF_ROLES)
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    page = notification_page_for_user(
        user=request.user,
        unread_only=unread_only,
        page=page_number(request.GET.get("page")),
    )
    now = timezone.now()
    # Each row names a case and its deadline: one access-log row per case, one INSERT.
    audit_access_many(
        user=request.user,
        case_ids=[n.care_request_id for n in page.rows],
        action="notification_list",
        channel=Channel.STAFF,
    )
    base = {"show": "unread"} if unread_only else {}
    context = {
        "rows": [notification_row(n, user=request.user, now=now) for n in page.rows],
        "page": page,
        "unread_only": unread_only,
        "prev_url": "?" + urlencode({**base, "page": page.number - 1}) if page.has_previous else "",
        "next_url": "?" + urlencode({**base, "page": page.number + 1}) if page.has_next else "",
    }
    return render(request, "review/notifications.html", context)


@role_required(*STAFF_ROLES)
@require_POST
def notification_read(request: HttpRequest, notification_id: uuid.UUID) -> HttpResponse:
    try:
        notification_mark_read(user=request.user, notification_id=notification_id)
    except NotFound as exc:
        raise Http404 from exc
    return _back_to_list(request)


@role_required(*STAFF_ROLES)
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    marked = notification_mark_all_read(user=request.user)
    if marked:
        messages.success(request, f"{marked} notification{'s' if marked != 1 else ''} marked read.")
    else:
        messages.info(request, "Nothing was unread.")
    return _back_to_list(request)
