"""Keep signed-in users who are not staff out of the Django admin entirely.

The admin on its own answers such a user with a redirect to its sign-in form (and the form with
200); a provider must get a plain refusal from every staff URL (issue 2: providers never reach
staff pages).
"""

from django.core.exceptions import PermissionDenied


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
