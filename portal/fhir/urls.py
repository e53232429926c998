from django.urls import path

from . import views

app_name = "fhir"

urlpatterns = [
    path("Claim/$submit", views.ClaimSubmitView.as_view(), name="claim-submit"),
    path("Claim/$inquire", views.ClaimInquireView.as_view(), name="claim-inquire"),
    path("metadata", views.MetadataView.as_view(), name="metadata"),
]
