"""Keep signed-in users who are not staff out of the Django admin entirely.

The admin on its own answers such a user with a redirect to its sign-in form (and the form with
200); a provider must get a plain refusal from every staff URL (issue 2: providers never reach
staff pages).
"""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import user_has_device

from .two_factor import SESSION_KEY, second_factor_required


class AdminStaffOnlyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        user = request.user
        if (
            match is not None
            and match.app_name == "admin"
            and user.is_authenticated
            and not (user.is_active and user.is_staff)
        ):
            raise PermissionDenied
        return None


# Pages a signed-in user reaches before giving the second factor.
SECOND_FACTOR_EXEMPT = {"login", "logout", "accounts:two_factor", "accounts:two_factor_setup"}


class SecondFactorMiddleware:
    """Until a user who needs a second factor has given it, every page sends them to the code
    page (or, not yet enrolled, to the enrolment page); the API and FHIR answer 403.

    Bearer-token requests are not concerned: their user is set by the API's authentication,
    after this middleware, and a token is issued only to a signed-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or request.session.get(SESSION_KEY):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in SECOND_FACTOR_EXEMPT:
            return None
        if not second_factor_required(user):
            request.session[SESSION_KEY] = True
            return None
        if request.path.startswith(("/api/", "/fhir/")):
            return JsonResponse(
                {
                    "detail": "Sign in with your second factor first.",
                    "code": "permission_denied",
                    "errors": {},
                },
                status=403,
            )
        target = "accounts:two_factor" if user_has_device(user) else "accounts:two_factor_setup"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
