"""Appeals REST API: thin views over the filing and document services.

`POST /api/v1/care-requests/{id}/appeals/` files (the case through the user's scope with the
`change` grant: another organisation's case is a 404); `GET /api/v1/appeals/` and
`GET /api/v1/appeals/{id}/` read the organisation's own appeals only;
`POST /api/v1/appeals/{id}/documents/` adds supporting files.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from intake.apis.views import BaseApi
from intake.services.documents import upload_bytes
from um_portal.audit.models import AccessLog
from um_portal.audit.services import Channel, audit_access

from .models import Appeal, AppealDocument, AppealLine
from .selectors import appeal_get_for_user, appeal_list_for_user
from .services.documents import appeal_document_add
from .services.filing import appeal_file


class AppealLineSerializer(serializers.ModelSerializer):
    service_line = serializers.UUIDField(source="service_line_id")
    sequence = serializers.IntegerField(source="service_line.sequence")
    code = serializers.CharField(source="service_line.code")

    class Meta:
        model = AppealLine
        fields = ["service_line", "sequence", "code", "outcome"]


class AppealDocumentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="document_id")
    name = serializers.CharField(source="document.original_name")
    size = serializers.IntegerField(source="document.size")
    sha256 = serializers.CharField(source="document.sha256")

    class Meta:
        model = AppealDocument
        fields = ["id", "name", "size", "sha256", "added_at"]


class AppealSerializer(serializers.ModelSerializer):
    care_request = serializers.UUIDField(source="care_request_id")
    lines = AppealLineSerializer(many=True)
    documents = AppealDocumentSerializer(many=True)

    class Meta:
        model = Appeal
        fields = [
            "id",
            "reference",
            "care_request",
            "status",
            "priority",
            "channel",
            "received_at",
            "due_at",
            "decided_at",
            "reason",
            "lines",
            "documents",
        ]


class AppealPageSerializer(serializers.Serializer):
    """One page of the list, as DRF's page-number pagination returns it."""

    count = serializers.IntegerField(min_value=0)
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = AppealSerializer(many=True)


class AppealCreateSerializer(serializers.Serializer):
    lines = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        help_text="Service-line ids to appeal; default: every denied or reduced line.",
    )
    reason = serializers.CharField(max_length=5000)
    expedited = serializers.BooleanField(
        default=False,
        help_text="A physician's request for an expedited appeal is always expedited "
        "(42 CFR 422.584(c)).",
    )


class AppealDocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(max_length=200, allow_empty_file=False)


class CareRequestAppealCreateApi(BaseApi):
    @extend_schema(
        request=AppealCreateSerializer,
        responses={201: AppealSerializer},
        summary="Appeal the adverse decision on a care request",
    )
    def post(self, request, care_request_id):
        care_request = self.get_case(request, care_request_id)
        data = AppealCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        appeal = appeal_file(
            care_request=care_request,
            actor=request.user,
            reason=data.validated_data["reason"],
            expedited=data.validated_data["expedited"],
            line_ids=data.validated_data.get("lines"),
            channel=Appeal.Channel.API,
        )
        appeal = appeal_get_for_user(request.user, appeal.pk)
        return Response(AppealSerializer(appeal).data, status=status.HTTP_201_CREATED)


class AppealListApi(BaseApi):
    @extend_schema(
        parameters=[OpenApiParameter("page", int, description="Page number, from 1.")],
        responses=AppealPageSerializer,
        summary="Appeals you may see",
        operation_id="api_v1_appeals_list",
    )
    def get(self, request):
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(appeal_list_for_user(request.user), request, view=self)
        # One access-log row per appeal shown, in one INSERT (the page's cost stays fixed).
        AccessLog.objects.bulk_create(
            AccessLog(
                user=request.user,
                case_id=appeal.care_request_id,
                action="api_read_appeal",
                channel=Channel.API,
                object_id=str(appeal.pk),
            )
            for appeal in page
        )
        return paginator.get_paginated_response(AppealSerializer(page, many=True).data)


class AppealDetailApi(BaseApi):
    @extend_schema(responses=AppealSerializer, summary="One appeal")
    def get(self, request, appeal_id):
        appeal = appeal_get_for_user(request.user, appeal_id)
        audit_access(
            user=request.user,
            case_id=appeal.care_request_id,
            action="api_read_appeal",
            object_id=str(appeal.pk),
            channel=Channel.API,
        )
        return Response(AppealSerializer(appeal).data)


class AppealDocumentCreateApi(BaseApi):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": AppealDocumentUploadSerializer},
        responses={201: AppealDocumentSerializer},
        summary="Add a supporting document to an appeal (PDF, PNG, JPEG or TIFF)",
    )
    def post(self, request, appeal_id):
        appeal = appeal_get_for_user(request.user, appeal_id, perm="change")
        data = AppealDocumentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        link = appeal_document_add(
            appeal=appeal, actor=request.user, name=upload.name, data=upload_bytes(upload)
        )
        return Response(AppealDocumentSerializer(link).data, status=status.HTTP_201_CREATED)
