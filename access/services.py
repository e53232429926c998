"""Writes of the Provider Access API: registering a backend client, and the life of a bulk
export (request, run, cancel, expire). Each export read is in the access log."""

import json
import uuid
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from oauth2_provider.models import get_application_model

from interop import pdex
from interop.selectors import member_coverages, member_prior_authorizations
from um_portal.audit.models import AccessLog
from um_portal.audit.services import audit_access_many, audit_event

from .models import AttributionGroup, BackendClient, BulkExport, UsedAssertion
from .selectors import group_members

EXPORT_TYPES = ("Patient", "Coverage", "ExplanationOfBenefit")
# Bulk Data: files stay downloadable for a while, then are deleted by the beat sweep.
EXPORT_KEEP = timedelta(hours=24)


def backend_client_accounts(*, name: str, organization):
    """The toolkit application (confidential, client_credentials; its secret is never used —
    the client signs assertions instead) and the inactive service account the access log names
    for the client's reads."""
    Application = get_application_model()
    application = Application.objects.create(
        name=name,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        algorithm="",
    )
    user = get_user_model().objects.create(
        username=f"backend-{uuid.uuid4().hex[:12]}",
        first_name=name[:150],
        provider_organization=organization,
        is_active=False,  # a system, never a person signing in
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    return application, user


@transaction.atomic
def backend_client_create(
    *,
    name: str,
    kind: str = BackendClient.Kind.PROVIDER,
    organization=None,
    jwks: dict | None = None,
    jwks_url: str = "",
    scopes: str = "",
    client_id: str = "",
    actor=None,
) -> BackendClient:
    """Register a SMART Backend Services client with its application and service account."""
    application, user = backend_client_accounts(name=name, organization=organization)
    fields = {"scopes": scopes} if scopes else {}
    if client_id:
        fields["client_id"] = client_id
    client = BackendClient.objects.create(
        name=name,
        kind=kind,
        organization=organization,
        jwks=jwks or {},
        jwks_url=jwks_url,
        application=application,
        user=user,
        **fields,
    )
    audit_event(
        actor=actor,
        action="access.backend_client_registered",
        summary=f"Backend client {name} registered.",
        data={"client": str(client.pk)},
    )
    return client


@transaction.atomic
def export_request(
    *, client: BackendClient, group: AttributionGroup, types: list[str], since, request_url: str
) -> BulkExport:
    """Queue a Group export; the task runs after commit."""
    from .tasks import bulk_export_run

    export = BulkExport.objects.create(
        client=client, group=group, types=types, since=since, request_url=request_url[:500]
    )
    transaction.on_commit(lambda: bulk_export_run.delay(str(export.pk)))
    return export


def _ndjson(resources) -> bytes:
    return b"".join(json.dumps(r, separators=(",", ":")).encode() + b"\n" for r in resources)


def export_path(export: BulkExport, resource_type: str) -> str:
    return f"bulk/{export.pk}/{resource_type}.ndjson"


def export_run(*, export_id) -> bool:
    """Write the export's NDJSON files: only members attributed to the group today who have not
    opted out. Claims the row first, so two workers never run one export."""
    claimed = BulkExport.objects.filter(pk=export_id, status=BulkExport.Status.ACCEPTED).update(
        status=BulkExport.Status.RUNNING, progress="Reading members"
    )
    if not claimed:
        return False
    try:
        return _export_write(
            BulkExport.objects.select_related("client__user", "group").get(pk=export_id)
        )
    except Exception:
        # The status URL then answers an OperationOutcome instead of 202 for ever.
        BulkExport.objects.filter(pk=export_id, status=BulkExport.Status.RUNNING).update(
            status=BulkExport.Status.FAILED, progress=""
        )
        raise


def _export_write(export: BulkExport) -> bool:
    members = group_members(export.group)
    files: dict[str, list[dict]] = {kind: [] for kind in export.types}
    case_ids = []
    for member in members:
        if "Patient" in files:
            files["Patient"].append(pdex.patient(member))
        if "Coverage" in files:
            files["Coverage"].extend(pdex.coverage(c) for c in member_coverages(member))
        if "ExplanationOfBenefit" in files:
            cases = member_prior_authorizations(member)
            if export.since:
                cases = [c for c in cases if c.last_change and c.last_change >= export.since]
            case_ids += [c.pk for c in cases]
            files["ExplanationOfBenefit"].extend(pdex.prior_authorization(c) for c in cases)
    output = []
    for kind, resources in files.items():
        if resources:
            default_storage.save(export_path(export, kind), ContentFile(_ndjson(resources)))
            output.append({"type": kind, "count": len(resources)})
    with transaction.atomic():
        # The run may have been cancelled meanwhile: then its files go.
        done = BulkExport.objects.filter(pk=export.pk, status=BulkExport.Status.RUNNING).update(
            status=BulkExport.Status.COMPLETED,
            completed_at=timezone.now(),
            expires_at=timezone.now() + EXPORT_KEEP,
            output=output,
            progress="",
        )
        if done:
            audit_access_many(
                user=export.client.user,
                action="provider_access_export",
                channel=AccessLog.Channel.FHIR,
                case_ids=case_ids,
                member_ids=[m.pk for m in members],
            )
    if not done:
        _delete_files(export, output)
    return bool(done)


def _delete_files(export: BulkExport, output: list[dict]) -> None:
    for item in output:
        default_storage.delete(export_path(export, item["type"]))


@transaction.atomic
def export_cancel(*, export: BulkExport) -> None:
    """DELETE on the status URL: the export stops (or its files go) and its status is gone."""
    BulkExport.objects.filter(pk=export.pk).update(status=BulkExport.Status.CANCELLED)
    output = list(export.output)
    transaction.on_commit(lambda: _delete_files(export, output))


def exports_expire(*, now=None) -> int:
    """Delete the files of exports past their expiry (beat); each row is claimed first."""
    now = now or timezone.now()
    expired = 0
    due = BulkExport.objects.filter(status=BulkExport.Status.COMPLETED, expires_at__lte=now)
    for export in due:
        claimed = BulkExport.objects.filter(
            pk=export.pk, status=BulkExport.Status.COMPLETED
        ).update(status=BulkExport.Status.EXPIRED)
        if claimed:
            _delete_files(export, export.output)
            expired += 1
    UsedAssertion.objects.filter(expires_at__lte=now - timedelta(minutes=10)).delete()
    return expired
