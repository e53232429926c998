"""Subscription in the CapabilityStatement, registered when this app is installed."""

from portal.fhir.capabilities import register_resource

from .services.bundles import BACKPORT, PAS_TOPIC

DOCUMENTATION = (
    "Subscription (R4 Subscriptions Backport, topic-based): POST, GET, DELETE and $status; "
    f"topic {PAS_TOPIC}, channel rest-hook, payload full-resource, filtered by the "
    "submitting organisation's identifier (criteria extension 'ClaimResponse?orgIdentifier=<NPI "
    "or TIN>'). A handshake on creation, heartbeats, and a notification Bundle with the PAS "
    "Response Bundle whenever a request of the organisation changes status."
)


def register() -> None:
    register_resource(
        {
            "type": "Subscription",
            "supportedProfile": [f"{BACKPORT}/backport-subscription"],
            "interaction": [
                {"code": "create"},
                {"code": "read"},
                {"code": "search-type"},
                {"code": "delete"},
            ],
            "operation": [
                {
                    "name": "status",
                    "definition": "http://hl7.org/fhir/uv/subscriptions-backport/"
                    "OperationDefinition/backport-subscription-status",
                }
            ],
        },
        DOCUMENTATION,
    )
