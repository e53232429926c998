from django.shortcuts import render

from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role


@role_required(Role.DIRECTOR, Role.NURSE)
def calendar(request):
    # Placeholder until the scheduling issue builds the calendar.
    return render(request, "placeholder.html", {"title": "Peer-to-peer calendar"})
