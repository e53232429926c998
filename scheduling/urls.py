from django.urls import path

from . import views

app_name = "scheduling"

urlpatterns = [
    path("calendar/", views.calendar, name="calendar"),
    path("free-slots/", views.free_slots, name="free_slots"),
    path("availability/", views.availability, name="availability"),
    path(
        "availability/rules/<uuid:uid>/delete/",
        views.availability_rule_delete,
        name="availability_rule_delete",
    ),
    path(
        "availability/exceptions/<uuid:uid>/delete/",
        views.availability_exception_delete,
        name="availability_exception_delete",
    ),
    path("cases/<uuid:case_id>/", views.case, name="case"),
    path("cases/<uuid:case_id>/book/", views.book, name="book"),
    path("p2p/<uuid:p2p_id>/", views.p2p_detail, name="p2p"),
    path("p2p/<uuid:p2p_id>/reschedule/", views.p2p_reschedule, name="reschedule"),
    path("p2p/<uuid:p2p_id>/cancel/", views.p2p_cancel, name="cancel"),
    path("p2p/<uuid:p2p_id>/invite.ics", views.p2p_invite, name="invite"),
    path("portal/cases/<uuid:case_id>/request/", views.portal_request, name="portal_request"),
    path(
        "portal/cases/<uuid:case_id>/p2p/<uuid:p2p_id>/cancel/",
        views.portal_cancel,
        name="portal_cancel",
    ),
    path(
        "portal/cases/<uuid:case_id>/p2p/<uuid:p2p_id>/reschedule/",
        views.portal_reschedule,
        name="portal_reschedule",
    ),
]
