"""REST API (`/api/v1/`), its OpenAPI schema and offline Swagger UI."""

from csp.decorators import csp_update
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from appeals import apis as appeal_apis
from inbox import apis as inbox_apis
from intake.apis import views
from stays import apis as stay_apis

UUID = "v1/care-requests/<uuid:care_request_id>"

v1 = [
    path("v1/care-requests/", views.CareRequestListCreateApi.as_view(), name="care-requests"),
    path(f"{UUID}/", views.CareRequestDetailApi.as_view(), name="care-request"),
    path(
        f"{UUID}/documents/",
        views.DocumentListCreateApi.as_view(),
        name="care-request-documents",
    ),
    path(
        f"{UUID}/documents/<uuid:document_id>/",
        views.DocumentDownloadApi.as_view(),
        name="care-request-document",
    ),
    path(f"{UUID}/notes/", views.NoteListCreateApi.as_view(), name="care-request-notes"),
    path(
        f"{UUID}/information-requests/",
        views.InformationRequestListApi.as_view(),
        name="care-request-information-requests",
    ),
]
ACTIONS = {
    "submit": views.CareRequestSubmitApi,
    "withdraw": views.CareRequestWithdrawApi,
    "info-response": views.CareRequestInfoResponseApi,
    "triage": views.CareRequestTriageApi,
    "request-info": views.CareRequestRequestInfoApi,
    "close-not-required": views.CareRequestCloseNotRequiredApi,
    "void": views.CareRequestVoidApi,
}
v1 += [
    path(f"{UUID}/{action}/", view.as_view(), name=f"care-request-{action}")
    for action, view in ACTIONS.items()
]

v1 += [
    path(
        f"{UUID}/appeals/",
        appeal_apis.CareRequestAppealCreateApi.as_view(),
        name="care-request-appeals",
    ),
    path("v1/appeals/", appeal_apis.AppealListApi.as_view(), name="appeals"),
    path("v1/appeals/<uuid:appeal_id>/", appeal_apis.AppealDetailApi.as_view(), name="appeal"),
    path(
        "v1/appeals/<uuid:appeal_id>/documents/",
        appeal_apis.AppealDocumentCreateApi.as_view(),
        name="appeal-documents",
    ),
]

STAY = "v1/admissions/<uuid:stay_id>"
v1 += [
    path("v1/admissions/", stay_apis.AdmissionCreateApi.as_view(), name="admissions"),
    path(f"{STAY}/", stay_apis.AdmissionDetailApi.as_view(), name="admission"),
    path(
        f"{STAY}/extensions/",
        stay_apis.AdmissionExtensionApi.as_view(),
        name="admission-extensions",
    ),
    path(
        f"{STAY}/discharge/", stay_apis.AdmissionDischargeApi.as_view(), name="admission-discharge"
    ),
]

v1 += [
    path(
        "v1/inbound-documents/",
        inbox_apis.InboundDocumentCreateApi.as_view(),
        name="inbound-documents",
    ),
    path(
        "v1/inbound-documents/<uuid:document_id>/",
        inbox_apis.InboundDocumentDetailApi.as_view(),
        name="inbound-document",
    ),
]

app_name = "api"
urlpatterns = [
    *v1,
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    # Swagger UI sets inline styles as it draws, so this one page allows them (not scripts).
    path(
        "docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
]
