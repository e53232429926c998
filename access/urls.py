from django.urls import path

from .views import bulk, match

# Under /fhir/ beside PAS and the Patient Access API (the same FHIR base).
fhir_urlpatterns = (
    [
        path("Group", bulk.group_search, name="group_search"),
        path("Group/<uuid:group_id>", bulk.group_read, name="group_read"),
        path("Group/<uuid:group_id>/$export", bulk.group_export, name="group_export"),
        path("bulk-status/<uuid:export_id>", bulk.export_status, name="export_status"),
        path(
            "bulk-files/<uuid:export_id>/<str:resource_type>.ndjson",
            bulk.export_file,
            name="export_file",
        ),
        path("Patient/$member-match", match.member_match_view, name="member_match"),
    ],
    "provider_access",
)
