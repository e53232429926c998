"""PAS operations: $submit creates (once) and answers; $inquire answers the current state."""

import dataclasses
import hashlib
import json

from django.db import IntegrityError, transaction
from django.db.models import Q

from determinations.selectors import decision_summary_for_provider
from intake.apis.inputs import LineData, service_line_inputs
from intake.apis.selectors import care_request_scope_for_user
from intake.models import CareRequest, CaseNote, Coverage, Priority
from intake.services.documents import document_upload
from intake.services.notes import case_note_add
from intake.services.receipt import care_request_create, care_request_submit
from um_portal.audit.services import Channel, audit_access, audit_event
from um_portal.lib.errors import DomainError
from um_portal.lib.npi import is_valid_npi

from ..models import PasSubmission
from . import attachments, concurrent, mapping, resolve, responses, updates
from .errors import Issue, PasError, fail
from .parsing import ParsedBundle, parse_bundle

REVIEW_SETTINGS = {
    "inpatient": CareRequest.ReviewSetting.INPATIENT,
    "dme": CareRequest.ReviewSetting.DME,
    "home-health": CareRequest.ReviewSetting.HOME_HEALTH,
    "behavioral-health": CareRequest.ReviewSetting.BEHAVIORAL_HEALTH,
}


def _echo_entries(parsed: ParsedBundle, request: mapping.PasRequest) -> list[dict]:
    entries, seen = [], set()
    for url in (request.patient_url, request.insurer_url, request.requester_url):
        resource = parsed.by_url.get(url)
        if resource is None or url in seen:
            continue
        seen.add(url)
        entries.append({"fullUrl": url, "resource": responses.to_json(resource)})
    return entries


def warnings_for(care_request: CareRequest) -> list[Issue]:
    """Why the case waits for intake, while it does: unverified coverage, NPIs that fail the
    check digit. Worked out from the case, so the warning goes once intake has fixed it."""
    issues = []
    if care_request.coverage.status == Coverage.Status.UNVERIFIED:
        issues.append(
            Issue(
                code="business-rule",
                severity="warning",
                diagnostics=f"Member ID {care_request.coverage.member_number} is not a "
                "verified member of ours: the request is pended until intake verifies the "
                "member's coverage.",
                expression=["Claim.insurance.coverage"],
            )
        )
    seen = set()
    for role, provider in (
        ("Claim.provider", care_request.requesting_provider),
        ("Claim.careTeam.provider", care_request.servicing_provider),
    ):
        if provider.pk in seen or is_valid_npi(provider.npi):
            continue
        seen.add(provider.pk)
        issues.append(
            Issue(
                code="business-rule",
                severity="warning",
                diagnostics=f"NPI {provider.npi} fails the NPI check digit: the request is "
                "pended until intake verifies the provider.",
                expression=[role],
            )
        )
    return issues


def _answer(submission: PasSubmission, *, user, action: str) -> dict:
    """The ClaimResponse bundle of a submission; the read of the case it shows is logged."""
    urls = [e["fullUrl"] for e in submission.echo_entries]
    claim = submission.request_bundle["entry"][0]["resource"]
    types = {e["fullUrl"]: e["resource"]["resourceType"] for e in submission.echo_entries}
    patient = next((u for u in urls if types[u] == "Patient"), "")
    return _case_answer(
        submission.care_request_id,
        user=user,
        action=action,
        item_sequences=submission.item_sequences,
        claim=claim,
        patient_url=claim.get("patient", {}).get("reference", patient),
        claim_identifier={
            k: v
            for k, v in {
                "system": submission.claim_identifier_system,
                "value": submission.claim_identifier_value,
            }.items()
            if v
        },
        echo_entries=submission.echo_entries,
    )


def _case_answer(
    case_id,
    *,
    user,
    action: str,
    item_sequences: list[int] | None,
    claim: dict,
    patient_url: str,
    claim_identifier: dict,
    echo_entries: list[dict],
) -> dict:
    """The ClaimResponse bundle of a case; `item_sequences` None: the case's own line numbers
    (a request that did not come through PAS)."""
    audit_access(user=user, case_id=case_id, action=action, channel=Channel.FHIR)
    care_request = (
        CareRequest.objects.select_related(
            "coverage__plan", "requesting_provider", "servicing_provider"
        )
        .prefetch_related("service_lines")
        .get(pk=case_id)
    )
    warnings = warnings_for(care_request) if care_request.is_open else []
    # The decision in force with its reasons (one query; one more for an adverse decision's
    # appeal deadline); None while the case is undecided.
    decision = decision_summary_for_provider(care_request)
    if item_sequences is None:
        item_sequences = [line.sequence for line in care_request.service_lines.all()]
    resource = responses.claim_response(
        care_request=care_request,
        item_sequences=item_sequences,
        patient_url=patient_url,
        insurer_url=claim.get("insurer", {}).get("reference", ""),
        requester_url=claim.get("provider", {}).get("reference", ""),
        claim_identifier=claim_identifier,
        claim_type=claim.get("type"),
        warnings=warnings,
        decision=decision,
    )
    return responses.response_bundle(resource, echo_entries, warnings=warnings)


def claim_content_hash(request: mapping.PasRequest) -> str:
    """A fingerprint of what is asked for — member, providers, items, diagnoses, priority — not
    of how the Bundle is written: a resend with new urn:uuid references or a new creation time
    is the same request; a different request that reuses the identifier is not."""
    content = {
        "member": sorted(request.member_ids),
        "requester": request.requester.npi,
        "servicing": request.servicing.npi if request.servicing else "",
        "items": [dataclasses.astuple(item) for item in request.items],
        "diagnoses": request.diagnoses,
        "expedited": request.expedited,
    }
    canonical = json.dumps(content, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def pas_submission_duplicates(*, organization, system: str, value: str, content_hash: str):
    """The earlier submission of this Claim with this content (the unique claim index)."""
    return PasSubmission.objects.filter(
        organization=organization,
        claim_identifier_system=system,
        claim_identifier_value=value,
        content_hash=content_hash,
    )


def pas_submission_for_inquiry(*, user, system: str, value: str):
    """The organisation's submissions of a Claim identifier the user may still see, latest
    first (tests/um_portal/test_hot_query_indexes.py checks its plan)."""
    return (
        PasSubmission.objects.filter(
            organization=user.provider_organization,
            claim_identifier_system=system,
            claim_identifier_value=value,
            # The organisation's grant on the case, not only who submitted it, decides.
            care_request__in=care_request_scope_for_user(user),
        )
        .order_by("-created_at")  # an identifier reused for a new request: the latest one
        .select_related(
            "care_request__member", "care_request__coverage", "care_request__requesting_provider"
        )
    )


def _existing(organization, request: mapping.PasRequest, content_hash: str) -> PasSubmission | None:
    return pas_submission_duplicates(
        organization=organization,
        system=request.identifier_system,
        value=request.identifier_value,
        content_hash=content_hash,
    ).first()


def pas_submit(*, user, payload) -> tuple[dict, bool]:
    """Create the care request a PAS Bundle asks for and answer its ClaimResponse Bundle.

    Returns (response bundle, created). The same Claim identifier from the same organisation
    answers the existing case instead of creating another. Raises PasError (nothing written)
    for a Bundle that cannot be processed.
    """
    organization = user.provider_organization
    parsed = parse_bundle(payload, operation="$submit")
    if parsed.claim.related:
        return updates.pas_update(user=user, parsed=parsed), False
    request = mapping.read_request(parsed)
    documents = attachments.read_attachments(parsed)
    content_hash = claim_content_hash(request)
    existing = _existing(organization, request, content_hash)
    if existing is not None:
        return _answer(existing, user=user, action="fhir_submit"), False
    try:
        with transaction.atomic():
            submission = _create(
                user=user,
                parsed=parsed,
                request=request,
                payload=payload,
                content_hash=content_hash,
                documents=documents,
            )
    except IntegrityError:
        # A concurrent identical submission won the unique constraint: answer with its case.
        existing = _existing(organization, request, content_hash)
        if existing is None:
            raise
        return _answer(existing, user=user, action="fhir_submit"), False
    return _answer(submission, user=user, action="fhir_submit"), True


def _create(
    *,
    user,
    parsed,
    request: mapping.PasRequest,
    payload: dict,
    content_hash: str,
    documents: list[attachments.AttachmentData] = (),
) -> PasSubmission:
    organization = user.provider_organization
    resolution = resolve.coverage_for(request)
    coverage = resolution.coverage
    requester, servicing = resolve.providers_for(request, organization)
    to_verify = list(resolution.to_verify)
    to_verify += resolve.provider_problems(request.requester, requester)
    if request.servicing is not None and servicing.pk != requester.pk:
        to_verify += resolve.provider_problems(request.servicing, servicing)
    try:
        lines = service_line_inputs(
            [
                LineData(
                    code_system=item.code_system,
                    code=item.code,
                    units=item.units,
                    start_date=item.start_date,
                    end_date=item.end_date,
                    place_of_service=item.place_of_service,
                    modifiers=item.modifiers,
                )
                for item in request.items
            ],
            prefix="Claim.item",
        )
        # An admission review for a stay in progress: the stays app's own services.
        stay_case = concurrent.stay_request_from_pas(
            user=user, request=request, coverage=coverage, requester=requester, servicing=servicing
        )
        if stay_case is not None:
            CareRequest.objects.filter(pk=stay_case.pk).update(
                external_id=request.identifier_value[:100],
                external_system=(request.identifier_system or "PAS")[:200],
            )
            attach_documents(care_request=stay_case, user=user, documents=documents)
        care_request = stay_case or care_request_create(
            actor=user,
            coverage=coverage,
            requesting_provider=requester,
            servicing_provider=servicing,
            lines=lines,
            diagnoses=request.diagnoses,
            channel=CareRequest.Channel.API,
            priority=Priority.EXPEDITED if request.expedited else Priority.STANDARD,
            request_type=request.request_type,
            review_setting=REVIEW_SETTINGS.get(lines[0].category.code, "outpatient"),
            external_id=request.identifier_value[:100],
            external_system=(request.identifier_system or "PAS")[:200],
            # Received below, once its documents are on it, so the rules at receipt see them.
            submit=False,
        )
        if stay_case is None:
            care_request = receive_with_documents(
                care_request=care_request, user=user, documents=documents
            )
    except DomainError as exc:
        raise _domain_to_pas(exc) from exc
    if to_verify:
        # Internal: what the rules left for intake (intake.rules holds the case for these).
        case_note_add(
            care_request=care_request,
            author=user,
            body="Received through PAS Claim/$submit. Intake must verify before review:\n"
            + "\n".join(f"- {line}" for line in to_verify),
            visibility=CaseNote.Visibility.INTERNAL,
        )
    submission = PasSubmission.objects.create(
        care_request=care_request,
        organization=organization,
        submitted_by=user,
        claim_identifier_system=request.identifier_system,
        claim_identifier_value=request.identifier_value,
        content_hash=content_hash,
        item_sequences=[item.sequence for item in request.items],
        echo_entries=_echo_entries(parsed, request),
        request_bundle=payload,
    )
    audit_event(
        actor=user,
        action="pas.submitted",
        case_id=care_request.pk,
        summary=f"PAS Claim/$submit received as {care_request.reference}.",
    )
    return submission


def receive_with_documents(
    *, care_request: CareRequest, user, documents: list[attachments.AttachmentData]
) -> CareRequest:
    """Store the Claim's attachments as documents of the case (ticking the checklist items
    they match), then receive it: the rules at receipt see a complete request and may approve
    it in the same call."""
    attach_documents(care_request=care_request, user=user, documents=documents)
    return care_request_submit(care_request=care_request, actor=user)


def attach_documents(
    *, care_request: CareRequest, user, documents: list[attachments.AttachmentData]
) -> None:
    for document in documents:
        document_upload(
            care_request=care_request,
            actor=user,
            kind=document.kind,
            name=document.name,
            data=document.data,
            channel=CareRequest.Channel.API,
        )
        attachments.record_supporting(care_request=care_request, user=user, document=document)


def _domain_to_pas(exc: DomainError) -> PasError:
    issues = [
        Issue(
            code="business-rule" if exc.status_code != 400 else "invalid",
            diagnostics=f"{field}: {message}",
            expression=[field],
        )
        for field, messages in exc.field_errors.items()
        for message in messages
    ] or [Issue(code="processing", diagnostics=exc.message)]
    return PasError(issues, status=422)


def pas_inquire(*, user, payload) -> dict:
    """The current ClaimResponse of an earlier request of the user's organisation, identified
    as PAS defines it: the Claim identifier, the patient and the requesting provider."""
    parsed = parse_bundle(payload, operation="$inquire")
    claim = parsed.claim
    identifiers = [i for i in (claim.identifier or []) if i.value]
    if not identifiers:
        raise fail("required", "Claim.identifier is required for an inquiry.", "Claim.identifier")
    patient = parsed.resolve(claim.patient, "Claim.patient", "Patient")
    requester = parsed.resolve(
        claim.provider, "Claim.provider", "Organization", "Practitioner", "PractitionerRole"
    )
    submission = pas_submission_for_inquiry(
        user=user, system=identifiers[0].system or "", value=identifiers[0].value
    ).first()
    if submission is None:
        # A request that came by another channel (portal, REST, fax): the IG's rules identify
        # it by the authorization number or the request's reference, with the same member and
        # requesting provider checks.
        case = _case_by_number(user, identifiers[0].value, patient, requester)
        if case is not None:
            return _case_answer(
                case.pk,
                user=user,
                action="fhir_inquire",
                item_sequences=None,
                claim=parsed.bundle.entry[0].resource.model_dump(
                    mode="json", by_alias=True, exclude_none=True
                ),
                patient_url=parsed.full_url_of(patient),
                claim_identifier={
                    k: v
                    for k, v in {
                        "system": identifiers[0].system,
                        "value": identifiers[0].value,
                    }.items()
                    if v
                },
                echo_entries=_inquiry_echo(parsed, patient, requester),
            )
    if submission is None or not _inquiry_matches(submission.care_request, patient, requester):
        raise fail(
            "not-found",
            "No prior authorization request of your organisation matches this Claim "
            "identifier, patient and provider.",
            "Claim.identifier",
            status=404,
        )
    return _answer(submission, user=user, action="fhir_inquire")


def _case_by_number(user, value: str, patient, requester) -> CareRequest | None:
    """A case of the organisation whose authorization number or reference is `value`, for the
    same member and requesting provider; None otherwise."""
    value = (value or "").strip()
    if not value:
        return None
    candidates = (
        care_request_scope_for_user(user)
        .filter(Q(auth_number__iexact=value) | Q(reference__iexact=value))
        .select_related("member", "coverage", "requesting_provider")
        .order_by("-created_at")[:5]
    )
    return next((c for c in candidates if _inquiry_matches(c, patient, requester)), None)


def _inquiry_echo(parsed: ParsedBundle, *resources) -> list[dict]:
    entries = []
    for resource in resources:
        url = parsed.full_url_of(resource)
        if url:
            entries.append({"fullUrl": url, "resource": responses.to_json(resource)})
    return entries


def _inquiry_matches(case: CareRequest, patient, requester) -> bool:
    member_ids = {(i.value or "").strip().upper() for i in patient.identifier or []}
    family, _given = mapping._name(patient)
    patient_ok = case.coverage.member_number.upper() in member_ids or (
        family.lower() == case.member.last_name.lower()
        and (patient.birthDate is None or patient.birthDate == case.member.birth_date)
    )
    npis = {
        (i.value or "").strip()
        for i in getattr(requester, "identifier", None) or []
        if i.system == mapping.NPI_SYSTEM
    }
    return patient_ok and case.requesting_provider.npi in npis
