"""FHIR HTTP endpoints. Authentication as the REST API (Bearer token or session); answers are
FHIR resources, errors OperationOutcomes."""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from intake.apis.authentication import BearerTokenAuthentication
from intake.apis.selectors import user_is_provider
from um_portal.lib.parsers import DepthLimitedJSONParser

from . import responses, services
from .errors import Issue, PasError
from .parsing import operation_input

logger = logging.getLogger(__name__)


class FhirJsonParser(DepthLimitedJSONParser):
    media_type = "application/fhir+json"


class FhirJsonRenderer(JSONRenderer):
    media_type = "application/fhir+json"
    format = "fhir"


class IsProviderUser(BasePermission):
    message = "Only provider users of an organisation may use PAS."

    def has_permission(self, request, view) -> bool:
        return user_is_provider(request.user)


ISSUE_CODES = {
    400: "structure",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    406: "not-supported",
    415: "not-supported",
    429: "throttled",
}


@extend_schema(exclude=True)
class FhirView(APIView):
    authentication_classes = [BearerTokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated, IsProviderUser]
    parser_classes = [FhirJsonParser, DepthLimitedJSONParser]
    renderer_classes = [FhirJsonRenderer, JSONRenderer]

    def handle_exception(self, exc):
        if isinstance(exc, RequestDataTooBig):
            # Django's own answer is an HTML page; a FHIR client needs an OperationOutcome.
            issue = Issue(
                code="too-costly",
                diagnostics=f"The request body is larger than the "
                f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)} MB this server accepts.",
            )
            return Response(responses.operation_outcome([issue]), status=413)
        if isinstance(exc, PasError):
            return Response(responses.operation_outcome(exc.issues), status=exc.status)
        if isinstance(exc, exceptions.APIException):
            response = super().handle_exception(exc)
            code = ISSUE_CODES.get(response.status_code, "processing")
            detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
            outcome = responses.operation_outcome([Issue(code=code, diagnostics=str(detail))])
            return Response(outcome, status=response.status_code, headers=dict(response.items()))
        return super().handle_exception(exc)


class ClaimSubmitView(FhirView):
    def post(self, request):
        payload = operation_input(request.data, operation="$submit")
        bundle, created = services.pas_submit(user=request.user, payload=payload)
        return Response(bundle, status=200)


class ClaimInquireView(FhirView):
    def post(self, request):
        payload = operation_input(request.data, operation="$inquire")
        return Response(services.pas_inquire(user=request.user, payload=payload))


class MetadataView(FhirView):
    # A CapabilityStatement is public in FHIR: clients read it before they authenticate.
    authentication_classes = []
    permission_classes = []

    def get(self, request):
        return Response(responses.capability_statement(request.build_absolute_uri("/fhir/")))
