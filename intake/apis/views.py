"""Care-request API views: thin — validate input, call the one service, serialize the result.

Every case is fetched through a selector scoped to the user, so another organisation's case
answers 404. Transitions are POST action endpoints; `status` is never writable.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from intake.models import CareRequest, CaseNote
from intake.services import documents as document_services
from intake.services import notes as note_services
from intake.services import receipt, workflow
from intake.services.documents import upload_bytes
from um_portal.accounts.roles import Role
from um_portal.audit.services import Channel, audit_access, audit_access_many
from um_portal.lib.errors import InvalidTransition, NotPermitted
from um_portal.lib.http import case_file_response
from um_portal.lib.parsers import DepthLimitedJSONParser

from . import inputs, selectors
from . import serializers as s


class HasApiRole(BasePermission):
    """Staff, or a provider user attached to an organisation; everyone else is refused."""

    message = "Your account has no role that may use the API."

    def has_permission(self, request, view) -> bool:
        user = request.user
        return selectors.user_is_staff(user) or selectors.user_is_provider(user)


class BaseApi(APIView):
    permission_classes = [IsAuthenticated, HasApiRole]
    # JSON bodies only (the schema documents what is parsed): nested lines do not fit a form.
    parser_classes = [DepthLimitedJSONParser]

    def get_case(self, request, care_request_id) -> CareRequest:
        """The case if the user may read it (GET) or act on it (any other method)."""
        perm = "view" if request.method in SAFE_METHODS else "change"
        return selectors.care_request_get_for_user(request.user, care_request_id, perm=perm)


def _ensure_open(care_request: CareRequest) -> None:
    if not care_request.is_open:
        raise InvalidTransition(
            f"The request is {care_request.get_status_display().lower()}; it can no longer "
            "be changed."
        )


class CareRequestListCreateApi(BaseApi):
    @extend_schema(
        parameters=[
            s.CareRequestFilterSerializer,
            OpenApiParameter("page", int, description="Page number, from 1."),
        ],
        responses=s.CareRequestPageSerializer,
        summary="List care requests you may see",
        operation_id="api_v1_care_requests_list",
    )
    def get(self, request):
        filters = s.CareRequestFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        qs = selectors.care_request_with_related(
            selectors.care_request_list_for_user(request.user, filters=filters.validated_data)
        )
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        data = s.CareRequestSerializer(page, many=True).data
        audit_access_many(
            user=request.user,
            case_ids=[case.pk for case in page],
            action="api_list",
            channel=Channel.API,
        )
        return paginator.get_paginated_response(data)

    @extend_schema(
        request=s.CareRequestCreateSerializer,
        responses={201: s.CareRequestSerializer},
        summary="Create (and by default submit) a care request",
    )
    def post(self, request):
        if not request.user.has_role(Role.PROVIDER, Role.INTAKE):
            raise NotPermitted("Only providers and intake may create requests.")
        data = s.CareRequestCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        coverage = inputs.coverage_lookup(
            member_id=v["member_id"], birth_date=v["member_birth_date"]
        )
        if coverage is None:
            raise s.serializers.ValidationError(
                {"member_id": ["No member with this member ID and date of birth."]}
            )
        requesting = inputs.requesting_provider_for_user(request.user, v["requesting_provider_npi"])
        servicing = (
            inputs.provider_by_npi(v["servicing_provider_npi"], "servicing_provider_npi")
            if v["servicing_provider_npi"]
            else requesting
        )
        facility = (
            inputs.provider_by_npi(v["facility_npi"], "facility_npi") if v["facility_npi"] else None
        )
        lines = inputs.service_line_inputs(
            [inputs.LineData(**line) for line in v["lines"]], diagnoses=v["diagnoses"]
        )
        care_request = receipt.care_request_create(
            actor=request.user,
            coverage=coverage,
            requesting_provider=requesting,
            servicing_provider=servicing,
            facility=facility,
            lines=lines,
            diagnoses=v["diagnoses"],
            channel=CareRequest.Channel.API,
            priority=v["priority"],
            request_type=v["request_type"],
            review_setting=v["review_setting"],
            clinical_summary=v["clinical_summary"],
            external_id=v["external_id"],
            claim_number=v["claim_number"],
            submit=v["submit"],
        )
        care_request = selectors.care_request_get_for_user(request.user, care_request.pk)
        return Response(s.CareRequestSerializer(care_request).data, status=status.HTTP_201_CREATED)


class CareRequestDetailApi(BaseApi):
    @extend_schema(responses=s.CareRequestSerializer, summary="One care request")
    def get(self, request, care_request_id):
        care_request = self.get_case(request, care_request_id)
        audit_access(user=request.user, case_id=care_request.pk, action="api_read")
        return Response(s.CareRequestSerializer(care_request).data)


class DocumentListCreateApi(BaseApi):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses=s.DocumentSerializer(many=True), summary="Documents of a request")
    def get(self, request, care_request_id):
        care_request = self.get_case(request, care_request_id)
        documents = selectors.documents_for_case(care_request)
        audit_access(
            user=request.user, case_id=care_request.pk, action="api_documents", channel=Channel.API
        )
        return Response(s.DocumentSerializer(documents, many=True).data)

    @extend_schema(
        request={"multipart/form-data": s.DocumentUploadSerializer},
        responses={201: s.DocumentSerializer},
        summary="Upload a document (PDF, PNG, JPEG or TIFF)",
    )
    def post(self, request, care_request_id):
        care_request = self.get_case(request, care_request_id)
        data = s.DocumentUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _ensure_open(care_request)
        upload = data.validated_data["file"]
        document = document_services.document_upload(
            care_request=care_request,
            actor=request.user,
            kind=data.validated_data["kind"],
            name=upload.name,
            data=upload_bytes(upload),
            channel=CareRequest.Channel.API,
        )
        return Response(s.DocumentSerializer(document).data, status=status.HTTP_201_CREATED)


class DocumentDownloadApi(BaseApi):
    @extend_schema(
        responses={(200, "application/octet-stream"): bytes}, summary="Download a document"
    )
    def get(self, request, care_request_id, document_id):
        document = selectors.document_get_for_user(request.user, care_request_id, document_id)
        return case_file_response(
            user=request.user,
            case_id=document.care_request_id,
            stored_file=document.file,
            filename=document.original_name,
            content_type=document.content_type,
            action="download",
            object_id=str(document.pk),
            as_attachment=True,
        )


class NoteListCreateApi(BaseApi):
    parser_classes = [DepthLimitedJSONParser, FormParser, MultiPartParser]

    @extend_schema(responses=s.NoteSerializer(many=True), summary="Notes you may see")
    def get(self, request, care_request_id):
        care_request = self.get_case(request, care_request_id)
        notes = selectors.case_notes_for_user(request.user, care_request)
        audit_access(
            user=request.user, case_id=care_request.pk, action="api_notes", channel=Channel.API
        )
        return Response(s.NoteSerializer(notes, many=True).data)

    @extend_schema(
        request=s.NoteCreateSerializer, responses={201: s.NoteSerializer}, summary="Add a note"
    )
    def post(self, request, care_request_id):
        care_request = self.get_case(request, care_request_id)
        data = s.NoteCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if selectors.user_is_staff(request.user):
            visibility = data.validated_data.get("visibility", CaseNote.Visibility.INTERNAL)
        else:
            # A provider's note is by nature visible to the provider; they cannot write
            # internal staff notes.
            visibility = CaseNote.Visibility.PROVIDER
        note = note_services.case_note_add(
            care_request=care_request,
            author=request.user,
            body=data.validated_data["body"],
            visibility=visibility,
        )
        return Response(s.NoteSerializer(note).data, status=status.HTTP_201_CREATED)


class InformationRequestListApi(BaseApi):
    @extend_schema(
        responses=s.InformationRequestSerializer(many=True),
        summary="Requests for information on a care request",
    )
    def get(self, request, care_request_id):
        care_request = self.get_case(request, care_request_id)
        items = selectors.information_requests_for_case(care_request)
        audit_access(
            user=request.user,
            case_id=care_request.pk,
            action="api_information_requests",
            channel=Channel.API,
        )
        return Response(s.InformationRequestSerializer(items, many=True).data)


def _action(name: str, input_serializer, call, summary: str):
    """An action endpoint: POST with `input_serializer`, then the service `call`."""

    class ActionApi(BaseApi):
        @extend_schema(
            request=input_serializer,
            responses={200: s.CareRequestSerializer},
            summary=summary,
            parameters=[OpenApiParameter("care_request_id", str, OpenApiParameter.PATH)],
        )
        def post(self, request, care_request_id):
            care_request = self.get_case(request, care_request_id)
            data = input_serializer(data=request.data)
            data.is_valid(raise_exception=True)
            call(care_request=care_request, actor=request.user, **data.validated_data)
            care_request = selectors.care_request_get_for_user(request.user, care_request.pk)
            return Response(s.CareRequestSerializer(care_request).data)

    ActionApi.__name__ = ActionApi.__qualname__ = f"CareRequest{name}Api"
    return ActionApi


def _submit(*, care_request, actor):
    return receipt.care_request_submit(care_request=care_request, actor=actor)


def _withdraw(*, care_request, actor, reason):
    return workflow.care_request_withdraw(care_request=care_request, actor=actor, reason=reason)


def _info_response(*, care_request, actor, response):
    return workflow.care_request_mark_info_received(
        care_request=care_request, actor=actor, response=response
    )


def _triage(*, care_request, actor, note):
    return workflow.care_request_triage(care_request=care_request, actor=actor, note=note)


def _request_info(*, care_request, actor, description, due_by):
    return workflow.care_request_request_info(
        care_request=care_request, actor=actor, description=description, due_by=due_by
    )


def _close_not_required(*, care_request, actor, note):
    return workflow.care_request_close_not_required(
        care_request=care_request, actor=actor, note=note
    )


def _void(*, care_request, actor, reason):
    return workflow.care_request_void(care_request=care_request, actor=actor, reason=reason)


class EmptySerializer(s.serializers.Serializer):
    pass


CareRequestSubmitApi = _action("Submit", EmptySerializer, _submit, "Submit a draft")
CareRequestWithdrawApi = _action(
    "Withdraw", s.ReasonSerializer, _withdraw, "Withdraw an open request"
)
CareRequestInfoResponseApi = _action(
    "InfoResponse",
    s.InfoResponseSerializer,
    _info_response,
    "Answer a request for information (upload documents first)",
)
CareRequestTriageApi = _action(
    "Triage", s.NoteActionSerializer, _triage, "Intake: send to clinical review"
)
CareRequestRequestInfoApi = _action(
    "RequestInfo", s.RequestInfoSerializer, _request_info, "Pend for information"
)
CareRequestCloseNotRequiredApi = _action(
    "CloseNotRequired",
    s.NoteActionSerializer,
    _close_not_required,
    "Intake: close, no authorization required",
)
CareRequestVoidApi = _action("Void", s.VoidSerializer, _void, "Void a duplicate or error")
