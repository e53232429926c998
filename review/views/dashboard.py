from django.shortcuts import render

from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role


@role_required(Role.NURSE, Role.DIRECTOR)
def dashboard(request):
    # Placeholder until its issue builds this workspace.
    return render(request, "placeholder.html", {"title": "My Care Requests"})
