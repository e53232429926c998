"""API representations. Output serializers only read; input serializers only validate shapes —
the services decide (STYLE: no domain logic in serializers)."""

from rest_framework import serializers

from intake.models import (
    CareRequest,
    CareRequestStatus,
    CaseNote,
    Diagnosis,
    Document,
    DocumentKind,
    InformationRequest,
    Priority,
    ServiceLine,
)
from um_portal.lib.timefmt import time_left_label


class StrictCharField(serializers.CharField):
    """A string, and only a string: DRF's CharField turns 0 into "0", which the schema (type
    string) says is invalid input."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class ServiceLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceLine
        fields = [
            "id",
            "sequence",
            "code_system",
            "code",
            "modifiers",
            "description",
            "units",
            "start_date",
            "end_date",
            "place_of_service",
            "decision",
            "approved_units",
            "approved_start",
            "approved_end",
        ]
        read_only_fields = fields


class DiagnosisSerializer(serializers.ModelSerializer):
    class Meta:
        model = Diagnosis
        fields = ["sequence", "code", "description"]
        read_only_fields = fields


class CareRequestSerializer(serializers.ModelSerializer):
    """A care request as the API shows it. `status` is read-only: actions change it."""

    member_id = StrictCharField(source="coverage.member_number", read_only=True)
    member_name = StrictCharField(source="member.full_name", read_only=True)
    plan = StrictCharField(source="coverage.plan.name", read_only=True)
    requesting_provider_npi = StrictCharField(source="requesting_provider.npi", read_only=True)
    servicing_provider_npi = StrictCharField(source="servicing_provider.npi", read_only=True)
    time_left = serializers.SerializerMethodField()
    service_lines = ServiceLineSerializer(many=True, read_only=True)
    diagnoses = DiagnosisSerializer(many=True, read_only=True)

    class Meta:
        model = CareRequest
        fields = [
            "id",
            "reference",
            "status",
            "priority",
            "channel",
            "request_type",
            "review_setting",
            "member_id",
            "member_name",
            "plan",
            "requesting_provider_npi",
            "servicing_provider_npi",
            "clinical_summary",
            "received_at",
            "due_at",
            "time_left",
            "decided_at",
            "auth_number",
            "external_id",
            "claim_number",
            "service_lines",
            "diagnoses",
        ]
        read_only_fields = fields

    def get_time_left(self, obj: CareRequest) -> str:
        return time_left_label(obj.due_at) if obj.is_open and obj.due_at else ""


class LineInputSerializer(serializers.Serializer):
    code_system = serializers.ChoiceField(choices=ServiceLine.System.choices)
    code = StrictCharField(max_length=10)
    units = serializers.IntegerField(min_value=1, max_value=10000, default=1)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    category = serializers.SlugField(max_length=40, required=False, default="")
    place_of_service = serializers.RegexField(
        r"^\d{2}$", required=False, default="", allow_blank=True
    )
    modifiers = StrictCharField(max_length=20, required=False, default="", allow_blank=True)
    description = StrictCharField(max_length=200, required=False, default="", allow_blank=True)


class CareRequestCreateSerializer(serializers.Serializer):
    member_id = StrictCharField(max_length=30)
    member_birth_date = serializers.DateField()
    requesting_provider_npi = StrictCharField(max_length=10)
    servicing_provider_npi = StrictCharField(max_length=10, required=False, default="")
    facility_npi = StrictCharField(max_length=10, required=False, default="")
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.STANDARD)
    request_type = serializers.ChoiceField(
        choices=CareRequest.RequestType.choices, default=CareRequest.RequestType.PROSPECTIVE
    )
    review_setting = serializers.ChoiceField(
        choices=CareRequest.ReviewSetting.choices, default=CareRequest.ReviewSetting.OUTPATIENT
    )
    lines = LineInputSerializer(many=True, allow_empty=False, max_length=50)
    diagnoses = serializers.ListField(
        child=StrictCharField(max_length=10), allow_empty=False, max_length=12
    )
    clinical_summary = StrictCharField(
        max_length=5000, required=False, default="", allow_blank=True
    )
    external_id = StrictCharField(max_length=100, required=False, default="", allow_blank=True)
    claim_number = StrictCharField(
        max_length=40,
        required=False,
        default="",
        allow_blank=True,
        help_text="Retrospective requests: the claim number the service was billed on.",
    )
    submit = serializers.BooleanField(
        default=True, help_text="False keeps the request as a draft; submit it later."
    )


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = ["id", "kind", "original_name", "content_type", "size", "sha256", "uploaded_at"]
        read_only_fields = fields


class DocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    file = serializers.FileField(max_length=200, allow_empty_file=False)


class NoteSerializer(serializers.ModelSerializer):
    author = StrictCharField(source="author.display_name", read_only=True)

    class Meta:
        model = CaseNote
        fields = ["id", "author", "body", "visibility", "created_at"]
        read_only_fields = fields


class NoteCreateSerializer(serializers.Serializer):
    body = StrictCharField(max_length=5000)
    visibility = serializers.ChoiceField(
        choices=CaseNote.Visibility.choices,
        required=False,
        help_text="Staff only; a provider's notes are always visible to the provider.",
    )


class InformationRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = InformationRequest
        fields = ["id", "description", "requested_at", "due_by", "answered_at", "response"]
        read_only_fields = fields


class ReasonSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=2000, required=False, default="", allow_blank=True)


class VoidSerializer(serializers.Serializer):
    reason = StrictCharField(max_length=2000)


class NoteActionSerializer(serializers.Serializer):
    note = StrictCharField(max_length=2000, required=False, default="", allow_blank=True)


class InfoResponseSerializer(serializers.Serializer):
    response = StrictCharField(max_length=5000)


class RequestInfoSerializer(serializers.Serializer):
    description = StrictCharField(max_length=5000)
    due_by = serializers.DateTimeField()


class CareRequestFilterSerializer(serializers.Serializer):
    status = serializers.MultipleChoiceField(choices=CareRequestStatus.choices, required=False)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    channel = serializers.ChoiceField(choices=CareRequest.Channel.choices, required=False)
    external_id = StrictCharField(max_length=100, required=False)
    reference = StrictCharField(max_length=12, required=False)
    member_id = StrictCharField(max_length=30, required=False)
    search = StrictCharField(
        max_length=60,
        required=False,
        help_text="Our reference, the member ID, the member's last name or the auth number.",
    )
    received_after = serializers.DateField(required=False)
    received_before = serializers.DateField(required=False)

    def to_internal_value(self, data):
        # DRF reads `?priority=` as "not given"; the schema (and so every client generated from
        # it) says a given filter is never empty, so an empty one is refused like any bad value.
        blank = (
            {
                name: ["This field may not be blank."]
                for name in self.fields
                if name in data and any(value == "" for value in data.getlist(name))
            }
            if hasattr(data, "getlist")
            else {}
        )
        if blank:
            raise serializers.ValidationError(blank)
        return super().to_internal_value(data)


class CareRequestPageSerializer(serializers.Serializer):
    """One page of the list, as DRF's page-number pagination returns it."""

    count = serializers.IntegerField(min_value=0)
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = CareRequestSerializer(many=True)
