"""The provider's own API token: see whether one exists, create or replace it, revoke it."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from um_portal.accounts.services import api_token_issue, api_token_revoke

from .common import provider_required


def _page(request, *, new_key: str = ""):
    token = Token.objects.filter(user=request.user).first()
    context = {
        "token": token,
        # The full key is shown only in the answer to the POST that made it.
        "new_key": new_key,
        "masked": f"…{token.key[-4:]}" if token else "",
        "api_base": request.build_absolute_uri("/api/v1/"),
        "fhir_base": request.build_absolute_uri("/fhir/"),
        "nav": "api",
    }
    return render(request, "portal/api_access.html", context)


@provider_required
def api_access(request):
    return _page(request)


@provider_required
@require_POST
def api_token_create(request):
    token, _ = api_token_issue(
        user=request.user, actor=request.user, rotate=request.POST.get("rotate") == "1"
    )
    return _page(request, new_key=token.key)


@provider_required
@require_POST
def api_token_delete(request):
    if api_token_revoke(user=request.user, actor=request.user):
        messages.success(request, "Your API token is revoked; systems using it are refused now.")
    return redirect("portal:api_access")
