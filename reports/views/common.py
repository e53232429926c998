from django.shortcuts import render

from ..filters import ReportFilterForm


def bound_filter_form(request, **kwargs) -> ReportFilterForm:
    """The filters come from the query string; an empty one gives the defaults."""
    return ReportFilterForm(request.GET, **kwargs)


def invalid_filters(request, template: str, form, tab: str):
    """Bad filters answer 400 with the form's field messages, never a 500."""
    context = {"form": form, "invalid": True, "tab": tab}
    return render(request, template, context, status=400)
