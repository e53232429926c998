from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render

from .roles import Role

# The first role a user holds decides their workspace.
WORKSPACES = [
    (Role.NURSE, "review:dashboard"),
    (Role.DIRECTOR, "review:dashboard"),
    (Role.INTAKE, "intake:queue"),
    (Role.MANAGER, "reports:dashboard"),
    (Role.PROVIDER, "portal:home"),
    (Role.ADMINISTRATOR, "admin:index"),
]


@login_required
def home(request):
    """Send each user to their workspace."""
    for role, url_name in WORKSPACES:
        if request.user.has_role(role):
            return redirect(url_name)
    return render(request, "accounts/no_workspace.html", status=403)


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)


def not_found(request, exception=None):
    if request.path.startswith("/api/"):
        # An API client gets the API's error body (its schema documents no HTML), also for a URL
        # no pattern matches, such as a malformed case id.
        return JsonResponse({"detail": "Not found.", "code": "not_found", "errors": {}}, status=404)
    return render(request, "404.html", status=404)
