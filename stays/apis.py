"""Admissions API (`/api/v1/admissions/`): a facility notifies an admission, reads its days,
asks for more days, records the discharge. Thin: validate, call the one service, serialize.
A stay of another organisation answers 404."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from intake.apis import inputs
from intake.apis.views import BaseApi
from intake.models import CareRequest
from um_portal.accounts.roles import Role
from um_portal.audit.services import audit_access
from um_portal.lib.errors import NotPermitted

from . import services
from .models import AdmissionType, DischargeDisposition, LevelOfCare, StayStatus
from .selectors import stay_get_for_user, stay_view


class AdmissionCreateSerializer(serializers.Serializer):
    member_id = serializers.CharField(max_length=30)
    member_birth_date = serializers.DateField()
    facility_npi = serializers.CharField(max_length=10)
    attending_npi = serializers.CharField(max_length=10, required=False, default="")
    admission_type = serializers.ChoiceField(choices=AdmissionType.choices)
    level_of_care = serializers.ChoiceField(choices=LevelOfCare.choices)
    admitted_at = serializers.DateTimeField()
    diagnoses = serializers.ListField(
        child=serializers.CharField(max_length=10), allow_empty=False, max_length=12
    )
    requested_days = serializers.IntegerField(min_value=1, max_value=services.MAX_REQUESTED_DAYS)


class AdmissionCreatedSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    care_request_id = serializers.UUIDField(help_text="The stay's first concurrent review.")


class AdmissionSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.ChoiceField(choices=StayStatus.choices)
    level_of_care = serializers.ChoiceField(choices=LevelOfCare.choices)
    days_requested = serializers.IntegerField()
    days_approved = serializers.IntegerField()
    days_denied = serializers.IntegerField()
    next_review_date = serializers.DateField(allow_null=True)


class ExtensionSerializer(serializers.Serializer):
    requested_days = serializers.IntegerField(min_value=1, max_value=services.MAX_REQUESTED_DAYS)
    level_of_care = serializers.ChoiceField(
        choices=LevelOfCare.choices, required=False, default="", allow_blank=True
    )
    clinical_summary = serializers.CharField(
        max_length=5000, required=False, default="", allow_blank=True
    )


class ExtensionCreatedSerializer(serializers.Serializer):
    care_request_id = serializers.UUIDField(help_text="The new continued-stay review.")


class DischargeSerializer(serializers.Serializer):
    discharged_at = serializers.DateTimeField()
    disposition = serializers.ChoiceField(choices=DischargeDisposition.choices)


def _admission(stay) -> dict:
    view = stay_view(stay)
    return {
        "id": stay.pk,
        "status": stay.status,
        "level_of_care": stay.level_of_care,
        "days_requested": view.summary.requested,
        "days_approved": view.summary.approved,
        "days_denied": view.summary.denied,
        "next_review_date": view.next_review_date,
    }


class _StayApi(BaseApi):
    def get_stay(self, request, stay_id):
        stay = stay_get_for_user(request.user, stay_id)
        first = next(iter(stay.reviews.all()), None)
        if first is not None:
            audit_access(user=request.user, case_id=first.care_request_id, action="api_read_stay")
        return stay


class AdmissionCreateApi(BaseApi):
    @extend_schema(
        request=AdmissionCreateSerializer,
        responses={201: AdmissionCreatedSerializer},
        summary="Notify an admission: opens the stay and its first concurrent review",
    )
    def post(self, request):
        if not request.user.has_role(Role.PROVIDER, Role.INTAKE):
            raise NotPermitted("Only facilities and intake may notify admissions.")
        data = AdmissionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        coverage = inputs.coverage_lookup(
            member_id=v["member_id"], birth_date=v["member_birth_date"]
        )
        if coverage is None:
            raise serializers.ValidationError(
                {"member_id": ["No member with this member ID and date of birth."]}
            )
        facility = inputs.requesting_provider_for_user(
            request.user, v["facility_npi"], "facility_npi"
        )
        attending = (
            inputs.provider_by_npi(v["attending_npi"], "attending_npi")
            if v["attending_npi"]
            else None
        )
        stay = services.stay_admit(
            actor=request.user,
            data=services.AdmissionInput(
                coverage=coverage,
                facility=facility,
                attending=attending,
                admission_type=v["admission_type"],
                level_of_care=v["level_of_care"],
                admitted_at=v["admitted_at"],
                diagnoses=v["diagnoses"],
                requested_days=v["requested_days"],
            ),
            channel=CareRequest.Channel.API,
        )
        first = stay.reviews.get(sequence=1)
        return Response(
            {"id": stay.pk, "care_request_id": first.care_request_id},
            status=status.HTTP_201_CREATED,
        )


class AdmissionDetailApi(_StayApi):
    @extend_schema(responses=AdmissionSerializer, summary="One stay: its days and next review")
    def get(self, request, stay_id):
        return Response(AdmissionSerializer(_admission(self.get_stay(request, stay_id))).data)


class AdmissionExtensionApi(_StayApi):
    @extend_schema(
        request=ExtensionSerializer,
        responses={201: ExtensionCreatedSerializer},
        summary="Ask for more days (a continued-stay review linked to the stay)",
    )
    def post(self, request, stay_id):
        stay = self.get_stay(request, stay_id)
        data = ExtensionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        care_request = services.stay_request_extension(
            actor=request.user,
            stay=stay,
            requested_days=v["requested_days"],
            level_of_care=v["level_of_care"],
            clinical_summary=v["clinical_summary"],
            channel=CareRequest.Channel.API,
        )
        return Response({"care_request_id": care_request.pk}, status=status.HTTP_201_CREATED)


class AdmissionDischargeApi(_StayApi):
    @extend_schema(
        request=DischargeSerializer,
        responses=AdmissionSerializer,
        summary="Record the discharge with its date and disposition",
    )
    def post(self, request, stay_id):
        stay = self.get_stay(request, stay_id)
        data = DischargeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.stay_discharge(
            actor=request.user,
            stay=stay,
            discharged_at=data.validated_data["discharged_at"],
            disposition=data.validated_data["disposition"],
        )
        stay = stay_get_for_user(request.user, stay_id)
        return Response(AdmissionSerializer(_admission(stay)).data)
