from django.urls import path

from . import views

app_name = "mailroom"

urlpatterns = [
    path("", views.batches, name="batches"),
    path("batches/<uuid:batch_id>/download/", views.batch_download, name="batch_download"),
    path("returns/", views.return_import, name="return_import"),
]
