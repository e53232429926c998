"""The Patient Access API (CMS-0057-F): a member's app, authorized through SMART App Launch,
reads the member's prior authorizations (PDex), Patient and Coverage — only that member's."""

import uuid

from django.http import JsonResponse
from django.views.decorators.http import require_GET

from intake.models import Member

from .. import pdex
from ..auth import grant_for_request
from ..selectors import member_coverages, member_prior_authorizations
from ..services import patient_access_record
from ..smart import fhir_base, smart_configuration

FHIR_JSON = "application/fhir+json"


def _answer(body: dict, status: int = 200, **headers) -> JsonResponse:
    response = JsonResponse(body, status=status, content_type=FHIR_JSON)
    response["Cache-Control"] = "private, no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _outcome(status: int, code: str, diagnostics: str, **headers) -> JsonResponse:
    body = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": code, "diagnostics": diagnostics}],
    }
    return _answer(body, status, **headers)


def _authorized(request, resource_type: str):
    """(grant, None) or (None, the refusal to send)."""
    grant = grant_for_request(request)
    if grant is None:
        return None, _outcome(
            401,
            "login",
            "Send a valid access token from this server's SMART authorization.",
            WWW_Authenticate='Bearer realm="fhir"',
        )
    if not grant.allows(resource_type):
        return None, _outcome(403, "forbidden", f"The app was not granted {resource_type} reads.")
    return grant, None


def _patient_param(request, grant):
    """The `patient` search parameter must name the authorized member (or be left out)."""
    wanted = request.GET.get("patient", "").removeprefix("Patient/")
    if wanted and wanted != str(grant.member_id):
        return _outcome(
            403, "forbidden", "An app sees only the data of the member who authorized it."
        )
    return None


@require_GET
def smart_configuration_view(request):
    # Public by SMART App Launch: apps read it before any authorization.
    return JsonResponse(smart_configuration())


@require_GET
def explanation_of_benefit_search(request):
    grant, refusal = _authorized(request, "ExplanationOfBenefit")
    if refusal is None:
        refusal = _patient_param(request, grant)
    if refusal is not None:
        return refusal
    member = Member.objects.get(pk=grant.member_id)
    cases = member_prior_authorizations(member)
    resources = [pdex.prior_authorization(case) for case in cases]
    patient_access_record(
        grant=grant,
        resource_type="ExplanationOfBenefit",
        case_ids=[c.pk for c in cases],
        count=len(resources),
    )
    return _answer(pdex.searchset(resources, base=fhir_base()))


@require_GET
def explanation_of_benefit_read(request, eob_id: uuid.UUID):
    grant, refusal = _authorized(request, "ExplanationOfBenefit")
    if refusal is not None:
        return refusal
    member = Member.objects.get(pk=grant.member_id)
    case = next((c for c in member_prior_authorizations(member) if c.pk == eob_id), None)
    if case is None:  # another member's, or not a prior authorization we share
        return _outcome(404, "not-found", "No such prior authorization for this member.")
    patient_access_record(
        grant=grant, resource_type="ExplanationOfBenefit", case_ids=[case.pk], count=1
    )
    return _answer(pdex.prior_authorization(case))


@require_GET
def patient_read(request, patient_id: uuid.UUID):
    grant, refusal = _authorized(request, "Patient")
    if refusal is not None:
        return refusal
    if patient_id != grant.member_id:
        return _outcome(404, "not-found", "No such patient for this app.")
    patient_access_record(grant=grant, resource_type="Patient", count=1)
    return _answer(pdex.patient(Member.objects.get(pk=grant.member_id)))


@require_GET
def coverage_search(request):
    grant, refusal = _authorized(request, "Coverage")
    if refusal is None:
        refusal = _patient_param(request, grant)
    if refusal is not None:
        return refusal
    member = Member.objects.get(pk=grant.member_id)
    resources = [pdex.coverage(c) for c in member_coverages(member)]
    patient_access_record(grant=grant, resource_type="Coverage", count=len(resources))
    return _answer(pdex.searchset(resources, base=fhir_base()))
