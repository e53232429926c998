"""The Patient Access API metrics CMS asks for each year (the UM manager's page)."""

from django.db.models import Count, Sum
from django.db.models.functions import ExtractYear
from django.shortcuts import render

from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role

from ..models import PatientAccessTransfer


@role_required(Role.MANAGER)
def usage(request):
    years = (
        PatientAccessTransfer.objects.annotate(year=ExtractYear("day"))
        .values("year")
        .annotate(
            patients=Count("member", distinct=True),
            apps=Count("application", distinct=True),
            calls=Sum("calls"),
            resources=Sum("resources"),
        )
        .order_by("-year")
    )
    return render(request, "interop/usage.html", {"years": list(years)})
