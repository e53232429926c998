from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from access import urls as access_urls
from crd import urls as crd_urls
from interop import urls as interop_urls
from members.urls import staff_urlpatterns
from um_portal.accounts import views as account_views
from um_portal.health import healthz


class FaviconRedirect(RedirectView):
    # The static URL is looked up per request: in production it needs collectstatic's manifest,
    # which is not there yet when the URLconf loads (e.g. for `check --deploy`).
    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")


urlpatterns = [
    path("", account_views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, extra_context={"sso_enabled": settings.OIDC_ENABLED}
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("um_portal.accounts.urls")),
    path("oidc/", include("um_portal.accounts.oidc_urls")),
    path("admin/", admin.site.urls),
    path("intake/", include("intake.urls")),
    path("review/", include("review.urls")),
    path("reports/", include("reports.urls")),
    path("determinations/", include("determinations.urls")),
    path("scheduling/", include("scheduling.urls")),
    path("appeals/", include("appeals.urls")),
    path("portal/dtr/", include(crd_urls.portal_urlpatterns)),
    path("portal/", include("portal.urls")),
    path("stays/", include("stays.urls")),
    path("inbox/", include("inbox.urls")),
    path("quality/", include("quality.urls")),
    path("member/", include("members.urls")),
    path("members/", include(staff_urlpatterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("caremgmt/", include("caremgmt.urls")),
    path("mailroom/", include("mailroom.urls")),
    path("api/", include("um_portal.api_urls")),
    path("fhir/", include(interop_urls.fhir_urlpatterns)),
    path("fhir/", include(access_urls.fhir_urlpatterns)),
    path("fhir/", include("portal.fhir.urls")),
    path("oauth/", include(interop_urls.oauth_urlpatterns)),
    path("interop/", include(interop_urls.staff_urlpatterns)),
    path("fhir/", include("subscriptions.urls")),
    path("fhir/", include(crd_urls.fhir_urlpatterns)),
    path("", include(crd_urls.cds_urlpatterns)),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's, a PDF).
    path("favicon.ico", FaviconRedirect.as_view(), name="favicon"),
    path("healthz", healthz, name="healthz"),
]

handler403 = "um_portal.accounts.views.forbidden"
handler404 = "um_portal.accounts.views.not_found"
