from django.urls import path

from .views import cases as case_views
from .views import clock as clock_views
from .views import dashboard as dashboard_views
from .views import find as find_views
from .views import notifications as notification_views
from .views import nurse_review as nurse_review_views
from .views import routing as routing_views

app_name = "review"

urlpatterns = [
    path("", dashboard_views.dashboard, name="dashboard"),
    path("find/", find_views.case_find, name="find"),
    # routing (issue 3)
    path("next/", routing_views.get_next, name="get_next"),
    path("cases/<uuid:pk>/reassign/", routing_views.reassign, name="reassign"),
    path("cases/<uuid:case_id>/", case_views.case_detail, name="case"),
    path(
        "cases/<uuid:case_id>/documents/<uuid:document_id>/",
        case_views.document_open,
        name="document",
    ),
    path("cases/<uuid:case_id>/notes/", case_views.note_add, name="add_note"),
    path("cases/<uuid:case_id>/request-info/", case_views.request_info, name="request_info"),
    path("cases/<uuid:case_id>/info-received/", case_views.info_received, name="info_received"),
    path(
        "cases/<uuid:case_id>/return-to-nurse/", case_views.return_to_nurse, name="return_to_nurse"
    ),
    path(
        "cases/<uuid:case_id>/nurse-review/", nurse_review_views.nurse_review, name="nurse_review"
    ),
    path("cases/<uuid:case_id>/extend-clock/", clock_views.clock_extend, name="extend_clock"),
    # notifications: every staff role's own clock warnings
    path("notifications/", notification_views.notification_list, name="notifications"),
    path(
        "notifications/read-all/",
        notification_views.notification_read_all,
        name="notifications_read_all",
    ),
    path(
        "notifications/<uuid:notification_id>/read/",
        notification_views.notification_read,
        name="notification_read",
    ),
    path("cases/<uuid:case_id>/approve/", nurse_review_views.nurse_approve, name="nurse_approve"),
    path("cases/<uuid:case_id>/refer/", nurse_review_views.refer, name="refer"),
]
