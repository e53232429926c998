"""The member's consent page for an app (SMART standalone launch): only a signed-in member may
authorize an app, and only for this server's FHIR base (`aud`)."""

from django.shortcuts import render
from oauth2_provider.views import AuthorizationView

from members.selectors import member_account_for

from ..smart import fhir_base


class MemberAuthorizationView(AuthorizationView):
    template_name = "interop/authorize.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and member_account_for(request.user) is None:
            return render(request, "interop/authorize_refused.html", status=403)
        aud = request.GET.get("aud", "")
        if request.method == "GET" and aud and aud.rstrip("/") != fhir_base():
            return render(
                request, "interop/authorize_refused.html", {"wrong_audience": True}, status=400
            )
        return super().dispatch(request, *args, **kwargs)
