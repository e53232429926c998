from django.urls import path

from um_portal.lib.replica import reads_from_replica

from . import views

app_name = "reports"

urlpatterns = [
    path("", reads_from_replica(views.dashboard), name="dashboard"),
    path("cms-0057-f/", reads_from_replica(views.cms0057_page), name="cms0057"),
    path("cms-0057-f/report.csv", reads_from_replica(views.cms0057_csv), name="cms0057_csv"),
    path("cms-0057-f/report.pdf", reads_from_replica(views.cms0057_pdf), name="cms0057_pdf"),
    path("timeliness/", reads_from_replica(views.timeliness_page), name="timeliness"),
    path("appeals/", reads_from_replica(views.appeals_page), name="appeals"),
    path("appeals/report.csv", reads_from_replica(views.appeals_csv), name="appeals_csv"),
    path("export/<slug:name>.csv", reads_from_replica(views.dataset_csv), name="export"),
    path("access/", reads_from_replica(views.access_report), name="access"),
    path("access/report.csv", reads_from_replica(views.access_report_csv), name="access_csv"),
]
