from datetime import date, timedelta

from django.shortcuts import render
from django.utils import timezone

from ..filters import DEFAULT_DAYS, ReportFilterForm


def bound_filter_form(request, *, default_days: int | None = None) -> ReportFilterForm:
    """The filters come from the query string; missing dates get the defaults, written into
    the form's data so the date fields show the period the page is about."""
    data = request.GET.copy()
    days = default_days or DEFAULT_DAYS
    if not data.get("end"):
        data["end"] = timezone.localdate().isoformat()
    if not data.get("start"):
        try:
            end = date.fromisoformat(data["end"])
        except ValueError:
            end = timezone.localdate()  # the end field reports its own error
        data["start"] = (end - timedelta(days=days - 1)).isoformat()
    return ReportFilterForm(data, default_days=days)


def invalid_filters(request, template: str, form, tab: str):
    """Bad filters answer 400 with the form's field messages, never a 500."""
    context = {"form": form, "invalid": True, "tab": tab}
    return render(request, template, context, status=400)
