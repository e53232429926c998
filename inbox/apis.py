"""REST API of the inbox: a fax gateway (or intake) delivers a document and polls its status."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from intake.services.documents import upload_bytes
from um_portal.audit.services import Channel, audit_access
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


class InboundDocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(max_length=200, allow_empty_file=False)


class InboundDocumentAcceptedSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=InboundDocument.Status.choices)


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
        request={"multipart/form-data": InboundDocumentUploadSerializer},
        responses={202: InboundDocumentAcceptedSerializer},
    )
    def post(self, request):
        # Through a serializer, so a missing or empty file answers the API's one error shape.
        data = InboundDocumentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
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
        # The document's id stands in for a case id: it has no case yet (or one it created).
        audit_access(
            user=request.user, case_id=document.pk, action="inbox_api_read", channel=Channel.API
        )
        return Response(document_payload(document))
