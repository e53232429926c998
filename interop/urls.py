from django.urls import path
from oauth2_provider import views as oauth_views

from .views import authorize, fhir, usage

# Under /fhir/ beside PAS (the same FHIR base).
fhir_urlpatterns = (
    [
        path(
            ".well-known/smart-configuration",
            fhir.smart_configuration_view,
            name="smart_configuration",
        ),
        path("ExplanationOfBenefit", fhir.explanation_of_benefit_search, name="eob_search"),
        path(
            "ExplanationOfBenefit/<uuid:eob_id>", fhir.explanation_of_benefit_read, name="eob_read"
        ),
        path("Patient/<uuid:patient_id>", fhir.patient_read, name="patient_read"),
        path("Coverage", fhir.coverage_search, name="coverage_search"),
    ],
    "patient_access",
)

# The SMART authorization server (django-oauth-toolkit), with the member-only consent page.
oauth_urlpatterns = (
    [
        path("authorize/", authorize.MemberAuthorizationView.as_view(), name="authorize"),
        path("token/", oauth_views.TokenView.as_view(), name="token"),
        path("revoke_token/", oauth_views.RevokeTokenView.as_view(), name="revoke-token"),
    ],
    "oauth2_provider",
)

staff_urlpatterns = ([path("usage/", usage.usage, name="usage")], "interop")
