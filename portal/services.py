"""Portal write services: guided-flow drafts and information responses. Each calls the intake
services that own the rules (create, submit, upload, transitions)."""

from django.db import transaction

from intake.apis.inputs import LineData, service_line_inputs
from intake.models import (
    CareRequest,
    CareRequestStatus,
    ChecklistItem,
    Coverage,
    Diagnosis,
    Provider,
    ServiceLine,
)
from intake.services.documents import document_upload, upload_bytes
from intake.services.receipt import care_request_create, checklist_build, validate_request_input
from intake.services.review_types import claim_number_errors
from intake.services.workflow import care_request_mark_info_received
from um_portal.audit.services import audit_event
from um_portal.lib.codes import icd10_description, normalize_icd10
from um_portal.lib.errors import InvalidTransition, ValidationFailed


def _check_provider(user, provider: Provider, field: str) -> None:
    if provider.organization_id != user.provider_organization_id:
        raise ValidationFailed(
            "The request has errors.",
            field_errors={field: ["Choose a provider of your organisation."]},
        )


@transaction.atomic
def portal_draft_create(
    *,
    user,
    coverage: Coverage,
    requesting_provider: Provider,
    servicing_provider: Provider | None,
    lines: list[dict],
    diagnoses: list[str],
    priority: str,
    request_type: str,
    review_setting: str,
    clinical_summary: str = "",
    claim_number: str = "",
) -> CareRequest:
    """Keep the provider's request as a draft (status `draft`); it is submitted at the end of
    the guided flow. ValidationFailed with field errors, nothing written, when invalid."""
    _check_provider(user, requesting_provider, "requesting_provider")
    return care_request_create(
        actor=user,
        coverage=coverage,
        requesting_provider=requesting_provider,
        servicing_provider=servicing_provider or requesting_provider,
        lines=service_line_inputs([LineData(**line) for line in lines], diagnoses=diagnoses),
        diagnoses=diagnoses,
        channel=CareRequest.Channel.PORTAL,
        priority=priority,
        request_type=request_type,
        review_setting=review_setting,
        clinical_summary=clinical_summary,
        claim_number=claim_number,
        submit=False,
    )


@transaction.atomic
def portal_draft_update(
    *,
    user,
    care_request: CareRequest,
    requesting_provider: Provider,
    servicing_provider: Provider | None,
    lines: list[dict],
    diagnoses: list[str],
    priority: str,
    request_type: str,
    review_setting: str,
    clinical_summary: str = "",
    claim_number: str = "",
) -> CareRequest:
    """Replace a draft's services, diagnoses and details; documents already uploaded stay."""
    locked = (
        CareRequest.objects.select_for_update().select_related("coverage").get(pk=care_request.pk)
    )
    if locked.status != CareRequestStatus.DRAFT:
        raise InvalidTransition("The request was submitted; it can no longer be edited.")
    _check_provider(user, requesting_provider, "requesting_provider")
    inputs = service_line_inputs([LineData(**line) for line in lines], diagnoses=diagnoses)
    errors = validate_request_input(
        coverage=locked.coverage, lines=inputs, diagnoses=diagnoses, request_type=request_type
    )
    errors.update(claim_number_errors(request_type=request_type, claim_number=claim_number))
    if errors:
        raise ValidationFailed("The request has errors.", field_errors=errors)
    CareRequest.objects.filter(pk=locked.pk).update(
        requesting_provider=requesting_provider,
        servicing_provider=servicing_provider or requesting_provider,
        priority=priority,
        request_type=request_type,
        review_setting=review_setting,
        clinical_summary=clinical_summary,
        claim_number=claim_number.strip(),
    )
    ServiceLine.objects.filter(care_request=locked).delete()
    Diagnosis.objects.filter(care_request=locked).delete()
    ServiceLine.objects.bulk_create(
        ServiceLine(
            care_request=locked,
            sequence=i,
            code_system=line.code_system,
            code=line.code,
            category=line.category,
            units=line.units,
            start_date=line.start_date,
            end_date=line.end_date,
            description=line.description,
        )
        for i, line in enumerate(inputs, start=1)
    )
    Diagnosis.objects.bulk_create(
        Diagnosis(care_request=locked, sequence=i, code=code, description=icd10_description(code))
        for i, code in enumerate(dict.fromkeys(normalize_icd10(c) for c in diagnoses), start=1)
    )
    # Services may have changed: drop what is no longer asked for (unless already answered).
    ChecklistItem.objects.filter(care_request=locked, document__isnull=True).delete()
    locked.refresh_from_db()
    checklist_build(care_request=locked)
    audit_event(
        actor=user,
        action="care_request.draft_updated",
        case_id=locked.pk,
        summary="Draft updated in the portal.",
    )
    return locked


@transaction.atomic
def portal_information_response(
    *, user, care_request: CareRequest, response: str, kind: str = "", upload=None
) -> CareRequest:
    """Answer the open request for information with text and, optionally, a document; the
    case returns to the reviewer who asked. All or nothing."""
    response = (response or "").strip()
    if not response:
        raise ValidationFailed("Write your answer.", field_errors={"response": ["Required."]})
    if upload is not None and not kind:
        raise ValidationFailed(
            "Choose the document type.", field_errors={"kind": ["Required with a file."]}
        )
    # The transition first: if the case is no longer waiting (or another answer came first) it
    # refuses before any file is written, so a rolled-back answer leaves no stored document
    # behind.
    care_request = care_request_mark_info_received(
        care_request=care_request, actor=user, response=response
    )
    if upload is not None:
        document_upload(
            care_request=care_request,
            actor=user,
            kind=kind,
            name=upload.name,
            data=upload_bytes(upload),
            channel=CareRequest.Channel.PORTAL,
        )
    return care_request
