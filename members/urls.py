"""The member's own pages (/member/) and staff invitations (/members/)."""

from django.urls import path

from .views import own, sharing, staff

app_name = "members"

urlpatterns = [
    path("join/<str:token>/", own.join, name="join"),
    path("", own.home, name="home"),
    path("requests/<uuid:care_request_id>/", own.request_detail, name="request"),
    path("requests/<uuid:care_request_id>/appeal/", own.appeal, name="appeal"),
    path("requests/<uuid:care_request_id>/feedback/", own.feedback, name="feedback"),
    path("letters/<uuid:letter_id>/pdf/", own.letter_pdf, name="letter_pdf"),
    path("sharing/", sharing.own_sharing, name="sharing"),
]

staff_urlpatterns = (
    [
        path("", staff.invitations, name="invitations"),
        path("<uuid:member_id>/invite/", staff.invite, name="invite"),
        path("<uuid:member_id>/sharing/", sharing.staff_sharing, name="sharing"),
    ],
    "member_access",
)
