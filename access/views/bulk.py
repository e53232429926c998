"""The Provider Access API (CMS-0057-F): a provider organisation's system, authorized through
SMART Backend Services, reads its attribution Groups and exports their members' data (FHIR Bulk
Data, Group-level $export) — only members attributed to it who have not opted out."""

import uuid
from datetime import datetime

from django.core.files.storage import default_storage
from django.http import FileResponse, JsonResponse
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from interop import pdex
from interop.smart import fhir_base
from um_portal.audit.models import AccessLog
from um_portal.audit.services import audit_access_many

from .. import fhir
from ..auth import backend_client_for_request, system_scope_allows
from ..models import BackendClient, BulkExport
from ..selectors import group_get_for_client, group_list_for_client
from ..services import EXPORT_TYPES, export_cancel, export_path, export_request

FHIR_JSON = "application/fhir+json"
NDJSON_FORMATS = {"application/fhir+ndjson", "application/ndjson", "ndjson"}
RETRY_AFTER_SECONDS = "10"


def answer(body: dict, status: int = 200, **headers) -> JsonResponse:
    response = JsonResponse(body, status=status, content_type=FHIR_JSON)
    response["Cache-Control"] = "private, no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def outcome(status: int, code: str, diagnostics: str, **headers) -> JsonResponse:
    body = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": code, "diagnostics": diagnostics}],
    }
    return answer(body, status, **headers)


def authorized(request, resource_type: str, kind: str = BackendClient.Kind.PROVIDER):
    """(client, None) or (None, the refusal to send)."""
    client, scopes = backend_client_for_request(request)
    if client is None:
        return None, outcome(
            401,
            "login",
            "Send a valid access token from SMART Backend Services authorization.",
            WWW_Authenticate='Bearer realm="fhir"',
        )
    if client.kind != kind or not system_scope_allows(scopes, resource_type):
        return None, outcome(403, "forbidden", f"This client may not read {resource_type}.")
    return client, None


def _log_groups(client: BackendClient, groups) -> None:
    audit_access_many(
        user=client.user,
        action="provider_access_group",
        channel=AccessLog.Channel.FHIR,
        member_ids=[a.member_id for g in groups for a in g.shared],
    )


@require_GET
def group_search(request):
    client, refusal = authorized(request, "Group")
    if refusal is not None:
        return refusal
    groups = group_list_for_client(client)
    _log_groups(client, groups)
    return answer(pdex.searchset([fhir.group(g) for g in groups], base=fhir_base()))


@require_GET
def group_read(request, group_id: uuid.UUID):
    client, refusal = authorized(request, "Group")
    if refusal is not None:
        return refusal
    group = group_get_for_client(client, group_id)
    if group is None:  # another organisation's, or none
        return outcome(404, "not-found", "No such Group for this client.")
    _log_groups(client, [group])
    return answer(fhir.group(group))


def _export_parameters(request) -> tuple[list[str], datetime | None, str]:
    """(types, since, problem)."""
    if "respond-async" not in request.headers.get("Prefer", ""):
        return [], None, "Bulk export needs the header Prefer: respond-async."
    accept = request.headers.get("Accept", FHIR_JSON)
    if accept not in (FHIR_JSON, "*/*", "application/json"):
        return [], None, "Accept must be application/fhir+json."
    output_format = request.GET.get("_outputFormat", "application/fhir+ndjson")
    if output_format not in NDJSON_FORMATS:
        return [], None, "Only NDJSON output (application/fhir+ndjson) is offered."
    types = [t.strip() for t in request.GET.get("_type", "").split(",") if t.strip()]
    unknown = sorted(set(types) - set(EXPORT_TYPES))
    if unknown:
        return [], None, f"Not exported: {', '.join(unknown)}; offered: {', '.join(EXPORT_TYPES)}."
    since = None
    if request.GET.get("_since"):
        since = parse_datetime(request.GET["_since"])
        if since is None or since.tzinfo is None:
            return [], None, "_since must be a FHIR instant with a time zone."
    return types or list(EXPORT_TYPES), since, ""


@require_GET
def group_export(request, group_id: uuid.UUID):
    client, refusal = authorized(request, "Group")
    if refusal is not None:
        return refusal
    types, since, problem = _export_parameters(request)
    if problem:
        return outcome(400, "invalid", problem)
    missing = [t for t in types if not system_scope_allows(client.scope_set, t)]
    if missing:
        return outcome(403, "forbidden", f"This client may not read {', '.join(missing)}.")
    group = group_get_for_client(client, group_id)
    if group is None:
        return outcome(404, "not-found", "No such Group for this client.")
    export = export_request(
        client=client,
        group=group,
        types=types,
        since=since,
        request_url=request.build_absolute_uri(),
    )
    status_url = fhir_base() + "/" + _status_path(export)
    return answer(
        {
            "resourceType": "OperationOutcome",
            "issue": [
                {
                    "severity": "information",
                    "code": "informational",
                    "diagnostics": "Export accepted.",
                }
            ],
        },
        202,
        Content_Location=status_url,
    )


def _status_path(export: BulkExport) -> str:
    return reverse("provider_access:export_status", args=[export.pk]).split("/fhir/", 1)[1]


def _own_export(client: BackendClient, export_id) -> BulkExport | None:
    return BulkExport.objects.filter(pk=export_id, client=client).first()


@csrf_exempt  # a bearer-token API: no cookie, no CSRF
@require_http_methods(["GET", "DELETE"])
def export_status(request, export_id: uuid.UUID):
    client, refusal = authorized(request, "Group")
    if refusal is not None:
        return refusal
    export = _own_export(client, export_id)
    gone = (BulkExport.Status.CANCELLED, BulkExport.Status.EXPIRED)
    if export is None or export.status in gone:
        return outcome(404, "not-found", "No such export (or it was cancelled or expired).")
    if request.method == "DELETE":
        export_cancel(export=export)
        return answer(
            {
                "resourceType": "OperationOutcome",
                "issue": [
                    {
                        "severity": "information",
                        "code": "informational",
                        "diagnostics": "Export cancelled.",
                    }
                ],
            },
            202,
        )
    if export.status in (BulkExport.Status.ACCEPTED, BulkExport.Status.RUNNING):
        response = answer({}, 202, X_Progress=export.progress or "Queued")
        response["Retry-After"] = RETRY_AFTER_SECONDS
        return response
    if export.status == BulkExport.Status.FAILED:
        return outcome(500, "exception", "The export failed; ask for a new one.")
    base = fhir_base()
    manifest = {
        "transactionTime": export.requested_at.isoformat(),
        "request": export.request_url,
        "requiresAccessToken": True,
        "output": [
            {
                "type": item["type"],
                "url": base + "/" + _file_path(export, item["type"]),
                "count": item["count"],
            }
            for item in export.output
        ],
        "error": [],
    }
    return JsonResponse(manifest, headers={"Expires": export.expires_at.isoformat()})


def _file_path(export: BulkExport, resource_type: str) -> str:
    return reverse("provider_access:export_file", args=[export.pk, resource_type]).split(
        "/fhir/", 1
    )[1]


@require_GET
def export_file(request, export_id: uuid.UUID, resource_type: str):
    client, refusal = authorized(request, "Group")
    if refusal is not None:
        return refusal
    export = _own_export(client, export_id)
    if (
        export is None
        or export.status != BulkExport.Status.COMPLETED
        or resource_type not in {item["type"] for item in export.output}
    ):
        return outcome(404, "not-found", "No such export file.")
    response = FileResponse(
        default_storage.open(export_path(export, resource_type), "rb"),
        content_type="application/fhir+ndjson",
    )
    response["Cache-Control"] = "private, no-store"
    return response
