"""Code search for the guided flow (htmx fragments; plain pages without JavaScript)."""

from django.shortcuts import render

from intake.apis.coding import diagnosis_search, service_search

from .common import provider_required


@provider_required
def services(request):
    hits = service_search(request.GET.get("q", ""))
    return render(request, "portal/includes/service_search.html", {"hits": hits})


@provider_required
def diagnoses(request):
    hits = diagnosis_search(request.GET.get("q", ""))
    return render(request, "portal/includes/diagnosis_search.html", {"hits": hits})
