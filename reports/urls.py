from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cms-0057-f/", views.cms0057_page, name="cms0057"),
    path("cms-0057-f/report.csv", views.cms0057_csv, name="cms0057_csv"),
    path("cms-0057-f/report.pdf", views.cms0057_pdf, name="cms0057_pdf"),
    path("timeliness/", views.timeliness_page, name="timeliness"),
    path("appeals/", views.appeals_page, name="appeals"),
    path("appeals/report.csv", views.appeals_csv, name="appeals_csv"),
    path("export/<slug:name>.csv", views.dataset_csv, name="export"),
    path("access/", views.access_report, name="access"),
    path("access/report.csv", views.access_report_csv, name="access_csv"),
]
