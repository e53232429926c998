"""The manager's view of provider feedback: by service category and month, and a CSV."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from reports.csv import csv_response
from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role
from um_portal.audit.services import Channel, audit_access_many

from ..selectors.feedback import (
    MEMBERS,
    PROVIDERS,
    RATINGS,
    feedback_recent_comments,
    feedback_summary,
)


@role_required(Role.MANAGER)
@require_GET
def feedback_page(request):
    """Aggregates, and the latest comments: those name their case, so they are logged reads."""
    comments = feedback_recent_comments()
    audit_access_many(
        user=request.user,
        action="feedback_comments",
        channel=Channel.STAFF,
        case_ids=[f.care_request_id for f in comments],
    )
    context = {
        "tab": "feedback",
        "tables": [
            ("Providers", "provider", feedback_summary(PROVIDERS), PROVIDERS),
            ("Members", "member", feedback_summary(MEMBERS), MEMBERS),
        ],
        "ratings": RATINGS,
        "comments": comments,
    }
    return render(request, "quality/feedback.html", context)


@role_required(Role.MANAGER)
@require_GET
def feedback_csv(request):
    """A table of the page as a CSV (aggregates only: no case, no comment); `?from=members` for
    the members' ratings, else the providers'."""
    source = MEMBERS if request.GET.get("from") == MEMBERS else PROVIDERS
    header = ["month", "service category", "ratings", "average", *(f"rated {n}" for n in RATINGS)]
    rows = (
        (r.month.strftime("%Y-%m"), r.category, r.count, r.average, *r.distribution)
        for r in feedback_summary(source)
    )
    name = "member-feedback.csv" if source == MEMBERS else "provider-feedback.csv"
    return csv_response(name, header, rows)
