from urllib.parse import urlencode

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role

from ..csv import cms0057_response
from ..filters import PlanScopeForm
from ..pdf import render_pdf
from ..selectors.cms0057 import Cms0057Report, cms0057_default_year, cms0057_report

TEMPLATE = "reports/cms0057.html"
FIRST_YEAR = 2020


def _years() -> list[int]:
    return list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))


class Cms0057Form(PlanScopeForm):
    year = forms.TypedChoiceField(coerce=int, choices=())

    field_order = ["year", "plan", "lob"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in _years()]


def _report(request) -> tuple[Cms0057Form, Cms0057Report | None]:
    data = request.GET.copy()
    if not data.get("year"):
        data["year"] = str(cms0057_default_year(today=timezone.localdate()))
    form = Cms0057Form(data)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, cms0057_report(year=data["year"], plan=data["plan"], lob=data["lob"] or "")


def _query(report: Cms0057Report) -> str:
    params = {"year": report.year, "plan": report.plan.pk if report.plan else "", "lob": report.lob}
    return urlencode({k: v for k, v in params.items() if v})


def _invalid(request, form):
    return render(request, TEMPLATE, {"form": form, "invalid": True, "tab": "cms0057"}, status=400)


@role_required(Role.MANAGER)
def cms0057_page(request):
    form, report = _report(request)
    if report is None:
        return _invalid(request, form)
    context = {"form": form, "report": report, "query": _query(report), "tab": "cms0057"}
    return render(request, TEMPLATE, context)


@role_required(Role.MANAGER)
def cms0057_csv(request):
    form, report = _report(request)
    if report is None:
        return _invalid(request, form)
    return cms0057_response(report)


@role_required(Role.MANAGER)
def cms0057_pdf(request):
    form, report = _report(request)
    if report is None:
        return _invalid(request, form)
    pdf = render_pdf("reports/cms0057_pdf.html", {"report": report})
    scope = report.lob or (f"plan-{report.plan.pk}" if report.plan else "all")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="cms-0057-f-{report.year}-{scope}.pdf"'
    return response
