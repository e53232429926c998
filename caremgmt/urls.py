from django.urls import path

from . import views

app_name = "caremgmt"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("referrals/<uuid:referral_id>/", views.detail, name="detail"),
    path("referrals/<uuid:referral_id>/<str:action>/", views.act, name="act"),
    path("cases/<uuid:case_id>/refer/", views.refer, name="refer"),
]
