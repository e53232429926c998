from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.care_request_new, name="new"),
    path("new/line/", views.service_line_row, name="new_line"),
    path("lookup/providers/", views.provider_options, name="provider_options"),
    path("cases/<uuid:pk>/", views.case_detail, name="case"),
    path("cases/<uuid:pk>/eligibility/", views.eligibility_verify, name="eligibility"),
    path("cases/<uuid:pk>/coverage/", views.coverage_verify_view, name="coverage_verify"),
    path(
        "cases/<uuid:pk>/providers/<str:role>/",
        views.provider_correct_view,
        name="provider_correct",
    ),
    path("cases/<uuid:pk>/documents/", views.document_add, name="document_add"),
    path(
        "cases/<uuid:pk>/documents/<uuid:document_pk>/",
        views.document_download,
        name="document",
    ),
    path("cases/<uuid:pk>/notes/", views.note_add, name="note_add"),
    path("cases/<uuid:pk>/actions/<slug:action>/", views.case_action, name="action"),
]
