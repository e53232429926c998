from django.urls import path

from . import fhir

app_name = "subscriptions"

urlpatterns = [
    path("Subscription", fhir.SubscriptionListView.as_view(), name="list"),
    path(
        "Subscription/<uuid:subscription_id>", fhir.SubscriptionDetailView.as_view(), name="detail"
    ),
    path(
        "Subscription/<uuid:subscription_id>/$status",
        fhir.SubscriptionStatusView.as_view(),
        name="status",
    ),
]
