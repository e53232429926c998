from django.urls import path

from . import views

app_name = "quality"

urlpatterns = [
    path("setup/", views.setup_page, name="setup"),
]
