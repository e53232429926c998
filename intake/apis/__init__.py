"""REST API for care requests (DRF): serializers, selectors scoped to the user, views."""
