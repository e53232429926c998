"""REST API of the inbox: a fax gateway (or intake) delivers a document and polls its status."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from intake.services.documents import upload_bytes
from um_portal.audit.services import audit_access
from um_portal.lib.errors import NotFound

from .models import ExtractedField, InboundDocument
from .permissions import may_deliver
from .selectors import extracted_fields, inbound_document_get_for_user
from .services.receive import inbound_document_receive


class MayDeliver(BasePermission):
    message = "Only intake and fax-gateway accounts may use the inbox API."

    def has_permission(self, request, view) -> bool:
        return may_deliver(request.user)


class InboundFieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExtractedField
        fields = ["name", "value", "confidence", "valid", "validation_message", "page", "bbox"]


class InboundDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = InboundDocument
        fields = [
            "id",
            "status",
            "arrived_at",
            "page_count",
            "pages_done",
            "read_method",
            "failure_reason",
        ]


READ_STATUSES = (
    InboundDocument.Status.READ,
    InboundDocument.Status.CLAIMED,
    InboundDocument.Status.CONVERTED,
)
# "fields" cannot be a serializer field's name (DRF's Serializer.fields), so the answer's schema
# is written out.
FIELD_SCHEMA = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "value": {"type": "string"},
        "confidence": {"type": "number", "description": "0-100; 100 for a PDF form field"},
        "valid": {"type": "boolean", "description": "Our checks and records accept the value"},
        "validation_message": {"type": "string"},
        "page": {"type": "integer"},
        "bbox": {"type": "array", "items": {"type": "number"}},
    },
}
DETAIL_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "status": {"type": "string", "enum": [s.value for s in InboundDocument.Status]},
        "arrived_at": {"type": "string", "format": "date-time"},
        "page_count": {"type": "integer"},
        "pages_done": {"type": "integer"},
        "read_method": {"type": "string"},
        "failure_reason": {"type": "string"},
        "fields": {"type": "array", "items": FIELD_SCHEMA},
    },
    "required": ["id", "status", "fields"],
}


def document_payload(document: InboundDocument) -> dict:
    data = dict(InboundDocumentSerializer(document).data)
    data["fields"] = (
        InboundFieldSerializer(extracted_fields(document=document), many=True).data
        if document.status in READ_STATUSES
        else []
    )
    return data


class InboundDocumentCreateApi(APIView):
    permission_classes = [IsAuthenticated, MayDeliver]
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Deliver a fax or scanned document to the intake inbox",
        request={
            "multipart/form-data": inline_serializer(
                "InboundDocumentUpload", {"file": serializers.FileField()}
            )
        },
        responses={
            202: inline_serializer(
                "InboundDocumentAccepted",
                {"id": serializers.UUIDField(), "status": serializers.CharField()},
            )
        },
    )
    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            return Response(
                {"detail": "The request has errors.", "errors": {"file": ["Attach a file."]}},
                status=status.HTTP_400_BAD_REQUEST,
            )
        document = inbound_document_receive(
            actor=request.user,
            name=upload.name,
            data=upload_bytes(upload),
            source=InboundDocument.Source.API,
        )
        document.refresh_from_db(fields=["status"])
        return Response(
            {"id": str(document.pk), "status": document.status}, status=status.HTTP_202_ACCEPTED
        )


class InboundDocumentDetailApi(APIView):
    permission_classes = [IsAuthenticated, MayDeliver]

    @extend_schema(
        summary="An inbound document's status and, once read, its fields",
        responses={200: DETAIL_SCHEMA},
    )
    def get(self, request, document_id):
        document = inbound_document_get_for_user(user=request.user, pk=document_id)
        if document is None:
            raise NotFound("No such inbound document.")
        audit_access(user=request.user, case_id=document.pk, action="inbox_api_read")
        return Response(document_payload(document))
