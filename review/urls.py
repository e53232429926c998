from django.urls import path

from .views import dashboard as dashboard_views
from .views import routing as routing_views

app_name = "review"

urlpatterns = [
    path("", dashboard_views.dashboard, name="dashboard"),
    # routing (issue 3)
    path("next/", routing_views.get_next, name="get_next"),
    path("cases/<uuid:pk>/reassign/", routing_views.reassign, name="reassign"),
]
