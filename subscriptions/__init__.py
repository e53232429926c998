"""FHIR Subscriptions (R4 Subscriptions Backport, topic-based) for PAS: an EHR subscribes to its
organisation's pended requests and is sent the PAS Response Bundle when one changes."""
