"""REST API (`/api/v1/`), its OpenAPI schema and offline Swagger UI."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from inbox import apis as inbox_apis
from intake.apis import views

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
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
