"""CDS Hooks endpoints (discovery and the three CRD services) and the DTR FHIR endpoints."""

import json
import logging

from django.contrib import messages
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from rest_framework.response import Response

from intake.apis.selectors import care_request_scope_for_user
from intake.models import CareRequest, CareRequestStatus
from intake.services.documents import document_upload
from portal.fhir.errors import fail
from portal.fhir.views import FhirView
from portal.views.common import get_case, provider_required
from um_portal.audit.services import Channel, audit_access_many

from . import cards, hooks, questionnaires
from .attestations import attested_criteria_record
from .auth import CdsAuthError, cds_client_for_request
from .models import AttestedCriteria
from .pas import render_response

logger = logging.getLogger(__name__)

MAX_BODY = 2 * 1024 * 1024
PREFETCH = {
    "patient": "Patient/{{context.patientId}}",
    "coverage": "Coverage?patient={{context.patientId}}&status=active",
    "practitioner": "{{context.userId}}",
}


def service_id(hook: str) -> str:
    return f"{hook}-crd"


SERVICES = {service_id(h): h for h in hooks.HOOKS}


@require_GET
def discovery(request):
    """Public (CDS Hooks §Discovery): the services and what they prefetch; no data."""
    return JsonResponse(
        {
            "services": [
                {
                    "hook": hook,
                    "id": service_id(hook),
                    "title": f"UM Portal CRD ({hook})",
                    "description": description,
                    "prefetch": PREFETCH,
                }
                for hook, (_, description) in hooks.HOOKS.items()
            ]
        }
    )


def _unauthorized() -> JsonResponse:
    response = JsonResponse({}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@csrf_exempt
@require_POST
def service(request, service: str):
    hook = SERVICES.get(service)
    if hook is None:
        return JsonResponse({"error": "No such CDS service."}, status=404)
    try:
        client = cds_client_for_request(request, audience=request.build_absolute_uri())
    except CdsAuthError as exc:
        logger.info("CDS Hooks call refused: %s", exc)
        return _unauthorized()
    if len(request.body) > MAX_BODY:
        return JsonResponse({"error": "The request body is too large."}, status=413)
    try:
        body = json.loads(request.body)
    except (ValueError, RecursionError):
        return JsonResponse({"error": "The body must be JSON."}, status=400)
    if not isinstance(body, dict) or body.get("hook") != hook:
        return JsonResponse({"error": f"This service answers the {hook} hook."}, status=400)
    try:
        orders = hooks.read_orders(hook, body.get("context"))
    except hooks.HookError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    prefetch = body.get("prefetch") if isinstance(body.get("prefetch"), dict) else {}
    base = request.build_absolute_uri("/")
    coverage = hooks.coverage_for(prefetch, client.organization)
    if coverage is None:
        return JsonResponse(cards.no_coverage_response(base_url=base))
    # The answer is about this member's coverage: a read of member data, logged.
    audit_access_many(
        user=client.acting_user,
        action="crd_hook",
        channel=Channel.FHIR,
        member_ids=[coverage.member_id],
    )
    results = hooks.assess(
        orders=orders, coverage=coverage, provider=hooks.servicing_provider(prefetch)
    )
    coverage_ref = next(
        (
            f"Coverage/{r['id']}"
            for v in prefetch.values()
            for r in hooks._resources(v)
            if r.get("resourceType") == "Coverage" and r.get("id")
        ),
        "Coverage",
    )
    return JsonResponse(
        cards.hook_response(
            results,
            coverage_ref=coverage_ref,
            base_url=base,
            fhir_base=request.build_absolute_uri("/fhir/"),
            dtr_url=request.build_absolute_uri(reverse("crd:dtr")),
        )
    )


class QuestionnaireSearchView(FhirView):
    def get(self, request):
        base = request.build_absolute_uri("/fhir/")
        found = questionnaires.questionnaire_list(base)
        url = request.query_params.get("url")
        if url:
            found = [q for q in found if q["url"] == url.split("|", 1)[0]]
        return Response(
            {
                "resourceType": "Bundle",
                "type": "searchset",
                "total": len(found),
                "entry": [{"fullUrl": q["url"], "resource": q} for q in found],
            }
        )


class QuestionnaireReadView(FhirView):
    def get(self, request, qid: str):
        found = questionnaires.questionnaire_get(qid, request.build_absolute_uri("/fhir/"))
        if found is None:
            raise fail("not-found", "No such Questionnaire.", status=404)
        return Response(found)


class QuestionnairePackageView(FhirView):
    """DTR $questionnaire-package: by questionnaire canonical, or for the orders given (their
    codes pick the criteria sets and checklist rules, as CRD does)."""

    def post(self, request):
        data = request.data
        if not isinstance(data, dict) or data.get("resourceType") != "Parameters":
            raise fail("structure", "$questionnaire-package takes a Parameters resource.")
        base = request.build_absolute_uri("/fhir/")
        found: dict[str, dict] = {}
        orders, missing = [], []
        parameters = data.get("parameter")
        if not isinstance(parameters, list):
            raise fail("required", "Parameters.parameter must be a list.", "Parameters.parameter")
        for p in parameters:
            if not isinstance(p, dict):
                continue
            if p.get("name") == "questionnaire" and isinstance(p.get("valueCanonical"), str):
                q = questionnaires.questionnaire_for_canonical(p["valueCanonical"], base)
                if q is not None:
                    found[q["id"]] = q
                else:
                    missing.append(p["valueCanonical"])
            elif p.get("name") == "order" and isinstance(p.get("resource"), dict):
                orders.append({"resource": p["resource"]})
        if orders:
            try:
                parsed = hooks.read_orders("order-sign", {"draftOrders": {"entry": orders}})
            except hooks.HookError as exc:
                raise fail("invalid", str(exc)) from exc
            for qid in hooks.questionnaire_ids_for_orders(parsed):
                q = questionnaires.questionnaire_get(qid, base)
                if q is not None:
                    found.setdefault(q["id"], q)
        return Response(questionnaires.questionnaire_package(list(found.values()), missing=missing))


def _condition(code: str) -> dict:
    return {
        "resourceType": "Condition",
        "code": {"coding": [{"system": questionnaires.ICD10CM, "code": code}]},
    }


def _flat_items(items, depth=0):
    for item in items:
        yield item, depth
        yield from _flat_items(item.get("item") or [], depth + 1)


def _response_from_post(questionnaire: dict, data) -> dict:
    def build(items):
        out = []
        for item in items:
            entry = {"linkId": item["linkId"], "text": item.get("text", "")}
            if item.get("item"):
                entry["item"] = build(item["item"])
            raw = data.get(f"q-{item['linkId']}", "").strip()[:2000]
            if item["type"] == "boolean" and raw in ("yes", "no"):
                entry["answer"] = [{"valueBoolean": raw == "yes"}]
            elif item["type"] in ("string", "text") and raw:
                values = [v.strip() for v in raw.split(",")] if item.get("repeats") else [raw]
                entry["answer"] = [{"valueString": v} for v in values if v]
            out.append(entry)
        return out

    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{questionnaire['url']}|{questionnaire['version']}",
        "status": "completed",
        "authored": timezone.now().isoformat(),
        "item": build(questionnaire["item"]),
    }


@provider_required
def dtr_page(request):
    """DTR for an office whose EHR has none: pick a draft request and a questionnaire, answer
    it (diagnoses prefilled from the draft through the questionnaire's FHIRPath), and the
    response is attached to the draft as a PDF document, as a PAS submission's would be."""
    fhir_base = request.build_absolute_uri("/fhir/")
    drafts = list(
        care_request_scope_for_user(request.user)
        .filter(status=CareRequestStatus.DRAFT)
        .select_related("member")
        .order_by("-created_at")[:50]
    )
    options = questionnaires.questionnaire_list(fhir_base)
    qid = (request.POST if request.method == "POST" else request.GET).get("questionnaire", "")
    case_id = (request.POST if request.method == "POST" else request.GET).get("case", "")
    questionnaire = questionnaires.questionnaire_get(qid, fhir_base) if qid else None
    case = next((d for d in drafts if str(d.pk) == case_id), None)
    context = {
        "drafts": drafts,
        "options": options,
        "questionnaire": questionnaire,
        "case": case,
        "qid": qid,
    }
    if drafts:
        # The list names members: a read of each draft shown.
        audit_access_many(
            user=request.user,
            action="dtr_view",
            channel=Channel.PORTAL,
            case_ids=[d.pk for d in drafts],
        )
    if questionnaire is None or case is None:
        return render(request, "crd/dtr.html", context)
    if request.method == "POST":
        case = get_case(request, case.pk)  # the change grant, as any upload
        response = _response_from_post(questionnaire, request.POST)
        data, name, kind = render_response(response, "QuestionnaireResponse")
        # The document and the answers it carries are kept together or not at all.
        with transaction.atomic():
            document_upload(
                care_request=case,
                actor=request.user,
                kind=kind,
                name=name,
                data=data,
                channel=CareRequest.Channel.PORTAL,
            )
            attested_criteria_record(
                care_request=case,
                response=response,
                source=AttestedCriteria.Source.PORTAL,
                actor=request.user,
            )
        messages.success(
            request, f"{questionnaire['title']}: answers attached to {case.reference}."
        )
        return redirect("portal:documents", case.pk)
    prefilled = questionnaires.prepopulate(
        questionnaire,
        conditions=[_condition(d.code) for d in case.diagnoses.all()],
        imaging=[],
    )
    answers = {
        i["linkId"]: ", ".join(str(v) for a in i.get("answer", []) for v in a.values())
        for i, _ in _flat_items(prefilled["item"])
    }
    context["items"] = [
        {"item": item, "depth": depth, "value": answers.get(item["linkId"], "")}
        for item, depth in _flat_items(questionnaire["item"])
    ]
    return render(request, "crd/dtr.html", context)
