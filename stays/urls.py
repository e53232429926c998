from django.urls import path

from . import views

app_name = "stays"

STAY = "<uuid:stay_id>/"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("report/", views.report, name="report"),
    path("admissions/new/", views.admission_new, name="admission_new"),
    path("portal/admissions/new/", views.portal_admission_new, name="portal_admission_new"),
    path(STAY, views.stay_detail, name="stay"),
    path(STAY + "approve-days/", views.approve_days, name="approve_days"),
    path(STAY + "next-review/", views.next_review, name="next_review"),
    path(STAY + "extension/", views.extension, name="extension"),
    path(STAY + "level/", views.level_change, name="level"),
    path(STAY + "discharge/", views.discharge, name="discharge"),
    path(STAY + "notes/", views.note_add, name="note"),
]
