"""OpenAPI schema post-processing: the error answers every operation can give, documented once
with the one error body shape of um_portal.lib.api_errors (so clients and schemathesis's status
code checks see the real contract)."""

from drf_spectacular.openapi import AutoSchema as _BaseAutoSchema
from rest_framework import serializers

ERROR_SCHEMA = {
    "type": "object",
    "required": ["detail", "code", "errors"],
    "properties": {
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
}
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: 400/401/403 everywhere, 404 where a path names an
    object (or a list page may not exist), 409 on every write (a transition the state refuses,
    or someone acted first)."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in HTTP_METHODS:
                continue
            responses = operation.setdefault("responses", {})
            wanted = {
                "400": "Invalid input: `errors` names the fields.",
                "401": "No or an unknown Bearer token.",
                "403": "Your role may not do this.",
            }
            if "{" in path or method == "get":
                wanted["404"] = "Not found, or not yours to see (or no such page of the list)."
            if method != "get":
                wanted["409"] = "Not possible in the request's current state."
            for status, description in wanted.items():
                responses.setdefault(status, _error(description))
    return result


class AutoSchema(_BaseAutoSchema):
    """drf-spectacular's AutoSchema, plus the input constraints DRF enforces that it leaves out:
    a CharField that may not be blank has minLength 1, a list that may not be empty minItems 1,
    no CharField takes a NUL character (requests only: answers may well carry empty strings)."""

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        result = super()._map_serializer_field(field, direction, bypass_extensions)
        if not isinstance(result, dict) or direction != "request" or field.read_only:
            return result
        if (
            isinstance(field, serializers.CharField)
            and not field.allow_blank
            and result.get("type") == "string"
            and "enum" not in result
        ):
            result.setdefault("minLength", 1)
        if (
            isinstance(field, serializers.CharField)
            and result.get("type") == "string"
            and "enum" not in result
            and "format" not in result
        ):
            # Every DRF CharField refuses NUL (ProhibitNullCharactersValidator): say so.
            result.setdefault("pattern", "^[^\\x00]*$")
        if (
            isinstance(field, serializers.ListField | serializers.ListSerializer)
            and not field.allow_empty
        ):
            result.setdefault("minItems", 1)
        return result
