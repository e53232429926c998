from django.shortcuts import render

from um_portal.accounts.permissions import role_required
from um_portal.accounts.roles import Role

from ..selectors.setup import setup_checklist


@role_required(Role.MANAGER)
def setup_page(request):
    """The guided setup checklist: configuration only, no PHI."""
    items = setup_checklist()
    done = sum(item.done for item in items)
    context = {"tab": "setup", "items": items, "done": done, "total": len(items)}
    return render(request, "quality/setup.html", context)
