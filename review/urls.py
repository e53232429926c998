from django.urls import path

from .views import dashboard as dashboard_views

app_name = "review"

urlpatterns = [
    path("", dashboard_views.dashboard, name="dashboard"),
]
