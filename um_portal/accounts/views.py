from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django_otp import user_has_device

from .permissions import role_required
from .roles import Role
from .signin import sign_in_lockouts, sign_in_unlock
from .two_factor import SESSION_KEY as TWO_FACTOR_SESSION_KEY
from .two_factor import (
    second_factor_verify,
    totp_device_pending,
    totp_enrol,
    totp_qr_svg,
    totp_secret_text,
)

# The first role a user holds decides their workspace.
WORKSPACES = [
    (Role.NURSE, "review:dashboard"),
    (Role.DIRECTOR, "review:dashboard"),
    (Role.INTAKE, "intake:queue"),
    (Role.MANAGER, "reports:dashboard"),
    (Role.PROVIDER, "portal:home"),
    (Role.ADMINISTRATOR, "admin:index"),
    (Role.MEMBER, "members:home"),
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


@role_required(Role.MANAGER, Role.ADMINISTRATOR)
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


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


@login_required
def two_factor(request):
    """After the password: a code from the authenticator app, or a recovery code."""
    if not user_has_device(request.user):
        return redirect("accounts:two_factor_setup")
    error = ""
    if request.method == "POST":
        if second_factor_verify(request=request, code=request.POST.get("code", "")):
            return redirect(_next_url(request))
        error = "That code is not valid. Try the current code, or a recovery code."
    return render(
        request,
        "accounts/two_factor.html",
        {"error": error, "next": _next_url(request)},
        status=400 if error else 200,
    )


@login_required
def two_factor_setup(request):
    """Enrol an authenticator app: scan the QR code, type the first code, keep the recovery
    codes. Replacing an enrolled authenticator needs the second factor first."""
    if user_has_device(request.user) and not request.session.get(TWO_FACTOR_SESSION_KEY):
        return redirect(
            f"{reverse('accounts:two_factor')}?next={reverse('accounts:two_factor_setup')}"
        )
    device = totp_device_pending(user=request.user)
    error = ""
    if request.method == "POST":
        codes = totp_enrol(request=request, device=device, code=request.POST.get("code", ""))
        if codes is not None:
            return render(
                request,
                "accounts/two_factor_codes.html",
                {"codes": codes, "next": _next_url(request)},
            )
        error = "That code is not valid. Check the time on your phone and try the current code."
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "qr_svg": mark_safe(totp_qr_svg(device)),  # noqa: S308 - drawn by segno from our data
            "secret": totp_secret_text(device),
            "error": error,
            "next": _next_url(request),
        },
        status=400 if error else 200,
    )
