"""The access report: the accounting of disclosures a member may ask for (45 CFR 164.528)."""

from django import forms
from django.shortcuts import render

from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role
from um_portal.audit.models import AccessLog
from um_portal.audit.services import Channel, audit_access_many
from um_portal.lib.paging import page_number, page_of

from ..csv import csv_response
from ..selectors.access import AccessFilters, access_log_list, access_rows, access_rows_all

TEMPLATE = "reports/access.html"
PER_PAGE = 50


class AccessFilterForm(forms.Form):
    member_number = forms.CharField(label="Member ID", max_length=30, required=False)
    username = forms.CharField(label="User", max_length=150, required=False)
    start = forms.DateField(label="From", required=False)
    end = forms.DateField(label="To", required=False)
    channel = forms.ChoiceField(
        choices=[("", "Any channel"), *AccessLog.Channel.choices], required=False
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["start"] > cleaned["end"]:
            self.add_error("end", "The end date is before the start date.")
        return cleaned

    def filters(self) -> AccessFilters:
        data = self.cleaned_data
        return AccessFilters(
            member_number=data["member_number"].strip(),
            username=data["username"].strip(),
            start=data["start"],
            end=data["end"],
            channel=data["channel"],
        )


def _log_shown(request, rows, action: str) -> None:
    # The report shows whose records were read: reading it is itself a read of those cases.
    audit_access_many(
        user=request.user,
        case_ids=[r.case_id for r in rows if r.case_id],
        member_ids=[r.member_id for r in rows if r.member_id and not r.case_id],
        action=action,
        channel=Channel.REPORT,
    )


@role_required(Role.MANAGER)
def access_report(request):
    """Who saw which member's data, when and through which channel; newest first, no COUNT."""
    form = AccessFilterForm(request.GET)
    if not form.is_valid():
        context = {"tab": "access", "form": form, "rows": [], "page": None}
        return render(request, TEMPLATE, context, status=400)
    filters = form.filters()
    page = page_of(
        access_log_list(filters), number=page_number(request.GET.get("page")), per_page=PER_PAGE
    )
    rows = access_rows(page.rows)
    _log_shown(request, rows, "access_report")
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "tab": "access",
        "form": form,
        "rows": rows,
        "page": page,
        "query": query.urlencode(),
    }
    return render(request, TEMPLATE, context)


@role_required(Role.MANAGER)
def access_report_csv(request):
    form = AccessFilterForm(request.GET)
    if not form.is_valid():
        context = {"tab": "access", "form": form, "rows": [], "page": None}
        return render(request, TEMPLATE, context, status=400)
    seen = []

    def rows():
        for row in access_rows_all(form.filters()):
            seen.append(row)
            yield (
                row.at,
                row.user,
                row.channel,
                row.action,
                row.reference,
                row.member,
                row.case_id or "",
            )

    return csv_response(
        "access-report.csv",
        ["at", "user", "channel", "action", "case", "member", "case id"],
        rows(),
        on_done=lambda: _log_shown(request, seen, "export_access_report"),
    )
