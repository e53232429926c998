"""Domain errors raised by services. One place maps them to HTTP answers for the UI and the API
(um_portal.lib.http for views, um_portal.lib.api_errors for DRF)."""


class DomainError(Exception):
    """Base class. `message` is safe to show to the user."""

    status_code = 400

    def __init__(self, message: str, *, field_errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


class ValidationFailed(DomainError):
    status_code = 400


class NotPermitted(DomainError):
    status_code = 403


class NotFound(DomainError):
    status_code = 404


class InvalidTransition(DomainError):
    """The action is not possible from the case's current state, or someone else acted first."""

    status_code = 409
