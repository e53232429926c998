"""The one place that turns errors into API answers (STYLE: API).

Every error body has the same shape: {"detail": str, "code": str, "errors": {field: [str]}}.
Domain errors from services map by their status_code: 400 validation, 403 not permitted,
404 not found, 409 invalid or concurrent transition. Bad input never becomes a 500.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

from um_portal.lib.errors import DomainError

CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    415: "unsupported_media_type",
    429: "throttled",
}


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"field" or "lines[1].code": [messages]}."""
    errors: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for k, v in _flatten(value, name).items():
                errors.setdefault(k, []).extend(v)
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            errors[prefix or "non_field_errors"] = [str(item) for item in detail]
        else:
            for i, item in enumerate(detail, start=1):
                for k, v in _flatten(item, f"{prefix}[{i}]").items():
                    errors.setdefault(k, []).extend(v)
    else:
        errors[prefix or "non_field_errors"] = [str(detail)]
    return errors


def error_response(
    status_code: int, detail: str, errors: dict | None = None, headers=None
) -> Response:
    body = {"detail": detail, "code": CODES.get(status_code, "error"), "errors": errors or {}}
    return Response(body, status=status_code, headers=headers)


def api_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return error_response(exc.status_code, exc.message, exc.field_errors)
    if isinstance(exc, DjangoValidationError):
        errors = (
            {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {"non_field_errors": [str(m) for m in exc.messages]}
        )
        return error_response(400, "The request has errors.", errors)
    if isinstance(exc, Http404):
        return error_response(404, "Not found.")
    if isinstance(exc, PermissionDenied):
        return error_response(403, "You may not do this.")
    if isinstance(exc, exceptions.ValidationError):
        return error_response(400, "The request has errors.", _flatten(exc.detail))
    response = exception_handler(exc, context)
    if response is None:
        return None  # a real bug: let it surface as a 500 and be logged
    detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
    headers = {
        k: v for k, v in response.items() if k in ("WWW-Authenticate", "Retry-After", "Allow")
    }
    return error_response(response.status_code, str(detail) or "Error.", None, headers)
