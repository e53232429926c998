from django.shortcuts import render

from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role


@role_required(Role.DIRECTOR)
def decide(request, case_id):
    # Placeholder until the determinations issue builds the decision page.
    return render(request, "placeholder.html", {"title": "Decide"})
