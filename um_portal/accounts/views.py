from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import redirect, render

from .permissions import role_required
from .roles import Role
from .signin import sign_in_lockouts, sign_in_unlock

# The first role a user holds decides their workspace.
WORKSPACES = [
    (Role.NURSE, "review:dashboard"),
    (Role.DIRECTOR, "review:dashboard"),
    (Role.INTAKE, "intake:queue"),
    (Role.MANAGER, "reports:dashboard"),
    (Role.PROVIDER, "portal:home"),
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
    return render(request, "404.html", status=404)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' answer while sign-in is locked: the sign-in page with a message that says
    the same whether or not the account exists (AXES_LOCKOUT_CALLABLE)."""
    form = AuthenticationForm(request)
    return render(
        request,
        "registration/login.html",
        {"form": form, "locked_out": True, "cooloff_minutes": settings.LOGIN_COOLOFF_MINUTES},
        status=429,
    )


@role_required(Role.MANAGER)
def lockouts(request):
    """Failed sign-ins within the cool-off window, and the unlock buttons (UM managers)."""
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        ip_address = request.POST.get("ip_address", "").strip()
        if username or ip_address:
            sign_in_unlock(actor=request.user, username=username, ip_address=ip_address)
            messages.success(request, f"Sign-in unlocked for {username or ip_address}.")
        return redirect("accounts:lockouts")
    return render(
        request,
        "accounts/lockouts.html",
        {**sign_in_lockouts(), "failure_limit": settings.AXES_FAILURE_LIMIT},
    )
