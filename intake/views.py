from django.shortcuts import render

from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role


@role_required(Role.INTAKE)
def queue(request):
    return render(request, "placeholder.html", {"title": "Intake"})
