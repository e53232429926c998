from django.urls import path

from . import views

app_name = "determinations"

urlpatterns = [
    path("cases/<uuid:case_id>/decide/", views.decide, name="decide"),
]
