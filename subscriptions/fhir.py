"""FHIR endpoints for Subscription (as the PAS endpoints: Bearer token or session, provider
users only; errors are OperationOutcomes; another organisation's subscription is not found)."""

import uuid

from rest_framework.response import Response

from portal.fhir.errors import fail
from portal.fhir.views import FhirView

from .selectors import subscription_get_for_user, subscriptions_for_user
from .services.bundles import status_bundle, subscription_resource
from .services.manage import subscription_create, subscription_delete


def _get(request, subscription_id: uuid.UUID):
    subscription = subscription_get_for_user(request.user, subscription_id)
    if subscription is None:
        raise fail(
            "not-found",
            "No subscription of your organisation has this id.",
            "Subscription.id",
            status=404,
        )
    return subscription


class SubscriptionListView(FhirView):
    def get(self, request):
        subscriptions = list(subscriptions_for_user(request.user))
        return Response(
            {
                "resourceType": "Bundle",
                "type": "searchset",
                "total": len(subscriptions),
                "entry": [
                    {"resource": subscription_resource(s), "search": {"mode": "match"}}
                    for s in subscriptions
                ],
            }
        )

    def post(self, request):
        subscription = subscription_create(user=request.user, data=request.data)
        return Response(
            subscription_resource(subscription),
            status=201,
            headers={"Location": f"/fhir/Subscription/{subscription.pk}"},
        )


class SubscriptionDetailView(FhirView):
    def get(self, request, subscription_id):
        return Response(subscription_resource(_get(request, subscription_id)))

    def delete(self, request, subscription_id):
        subscription_delete(user=request.user, subscription=_get(request, subscription_id))
        return Response(status=204)


class SubscriptionStatusView(FhirView):
    def get(self, request, subscription_id):
        return Response(status_bundle(_get(request, subscription_id)))
