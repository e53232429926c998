from django.urls import path

from . import views

app_name = "appeals"

APPEAL = "<uuid:appeal_id>/"

urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("file/", views.intake_find, name="intake_find"),
    path("file/<uuid:care_request_id>/", views.intake_file, name="intake_file"),
    path(APPEAL, views.detail, name="detail"),
    path(APPEAL + "decide/", views.decide_page, name="decide"),
    path(APPEAL + "assign/", views.assign, name="assign"),
    path(APPEAL + "summary/", views.summary, name="summary"),
    path(APPEAL + "dismiss/", views.dismiss, name="dismiss"),
    path(APPEAL + "ire-decision/", views.ire_decision, name="ire_decision"),
    path(APPEAL + "case-file/", views.case_file, name="case_file"),
]
