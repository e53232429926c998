"""The Provider Access API: a provider organisation's system reads its attribution Groups and
exports them (Bulk Data) — only members attributed to it today who have not opted out; another
organisation's group is not found; every read is in the access log."""

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from access.models import BulkExport
from access.services import exports_expire
from tests.access.conftest import bearer
from um_portal.audit.models import AccessLog

pytestmark = pytest.mark.django_db

FHIR = settings.SITE_URL + "/fhir"
ASYNC = {"HTTP_PREFER": "respond-async", "HTTP_ACCEPT": "application/fhir+json"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def get(http, path, token, **headers):
    return http.get(path, HTTP_AUTHORIZATION=f"Bearer {token}", **headers)


def members_of(group_resource) -> set[str]:
    return {m["entity"]["reference"] for m in group_resource.get("member", [])}


def test_group_search_lists_only_the_organisations_groups_and_shared_members(
    client, token, attributed, backend
):
    with CaptureQueriesContext(connection) as queries:
        response = get(client, "/fhir/Group", token)
    assert response.status_code == 200
    body = response.json()
    assert [e["resource"]["name"] for e in body["entry"]] == ["Practice panel"]
    group = body["entry"][0]["resource"]
    ana, ben = attributed["Ana"], attributed["Ben"]
    assert members_of(group) == {f"Patient/{ana.pk}", f"Patient/{ben.pk}"}
    assert group["quantity"] == 2
    # the token (1), its client (1), groups with their attributions (2), the log (1)
    assert len(queries) == 5, [q["sql"] for q in queries]
    logged = AccessLog.objects.filter(action="provider_access_group", user=backend.user)
    assert {row.member_id for row in logged} == {ana.pk, ben.pk}


def test_group_read_answers_the_same_queries(client, token, attributed):
    group = attributed["group"]
    with CaptureQueriesContext(connection) as queries:
        response = get(client, f"/fhir/Group/{group.pk}", token)
    assert response.status_code == 200
    assert response.json()["id"] == str(group.pk)
    assert len(queries) == 5


def test_another_organisations_group_is_not_found(client, token, attributed):
    other = attributed["other_group"]
    assert get(client, f"/fhir/Group/{other.pk}", token).status_code == 404
    response = get(client, f"/fhir/Group/{other.pk}/$export", token, **ASYNC)
    assert response.status_code == 404
    assert not BulkExport.objects.exists()


def test_no_token_is_401_and_a_member_apps_reads_are_not_system_reads(client, attributed):
    response = client.get("/fhir/Group")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="fhir"'
    assert get(client, "/fhir/Group", "made-up").status_code == 401


def test_a_payer_client_may_not_read_groups(client, payer_backend, rsa_key, attributed):
    token = bearer(client, payer_backend, rsa_key)
    assert get(client, "/fhir/Group", token).status_code == 403


def test_export_needs_respond_async(client, token, attributed):
    group = attributed["group"]
    response = get(client, f"/fhir/Group/{group.pk}/$export", token)
    assert response.status_code == 400
    assert "respond-async" in response.json()["issue"][0]["diagnostics"]
    bad_type = get(client, f"/fhir/Group/{group.pk}/$export?_type=Claim", token, **ASYNC)
    assert bad_type.status_code == 400
    bad_since = get(client, f"/fhir/Group/{group.pk}/$export?_since=yesterday", token, **ASYNC)
    assert bad_since.status_code == 400
    assert not BulkExport.objects.exists()


def test_export_end_to_end(client, token, attributed, backend, django_capture_on_commit_callbacks):
    group = attributed["group"]
    ana, ben, case = attributed["Ana"], attributed["Ben"], attributed["case"]
    with django_capture_on_commit_callbacks(execute=True):
        kicked = get(client, f"/fhir/Group/{group.pk}/$export", token, **ASYNC)
    assert kicked.status_code == 202
    status_url = kicked["Content-Location"]
    export = BulkExport.objects.get()
    assert status_url == f"{FHIR}/bulk-status/{export.pk}"
    status = get(client, status_url.removeprefix(settings.SITE_URL), token)
    assert status.status_code == 200
    manifest = status.json()
    assert manifest["requiresAccessToken"] is True
    assert {(o["type"], o["count"]) for o in manifest["output"]} == {
        ("Patient", 2),
        ("Coverage", 2),
        ("ExplanationOfBenefit", 1),
    }
    files = {}
    for item in manifest["output"]:
        response = get(client, item["url"].removeprefix(settings.SITE_URL), token)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/fhir+ndjson"
        lines = b"".join(response.streaming_content).decode().splitlines()
        files[item["type"]] = [json.loads(line) for line in lines]
    assert {p["id"] for p in files["Patient"]} == {str(ana.pk), str(ben.pk)}
    assert [e["id"] for e in files["ExplanationOfBenefit"]] == [str(case.pk)]
    assert {c["beneficiary"]["reference"] for c in files["Coverage"]} == {
        f"Patient/{ana.pk}",
        f"Patient/{ben.pk}",
    }
    logged = AccessLog.objects.filter(action="provider_access_export", user=backend.user)
    assert {row.member_id for row in logged if row.member_id} == {ana.pk, ben.pk}
    assert {row.case_id for row in logged if row.case_id} == {case.pk}


def test_export_of_one_type(client, token, attributed, django_capture_on_commit_callbacks):
    group = attributed["group"]
    with django_capture_on_commit_callbacks(execute=True):
        get(client, f"/fhir/Group/{group.pk}/$export?_type=Patient", token, **ASYNC)
    export = BulkExport.objects.get()
    assert export.output == [{"type": "Patient", "count": 2}]


def test_a_queued_export_answers_202_with_progress(client, token, attributed):
    group = attributed["group"]
    kicked = get(client, f"/fhir/Group/{group.pk}/$export", token, **ASYNC)  # not yet run
    status = get(client, kicked["Content-Location"].removeprefix(settings.SITE_URL), token)
    assert status.status_code == 202
    assert status["X-Progress"] == "Queued"
    assert status["Retry-After"] == "10"


def test_delete_cancels_and_another_client_cannot_see_the_export(
    client, token, attributed, other_backend, rsa_key, django_capture_on_commit_callbacks
):
    group = attributed["group"]
    with django_capture_on_commit_callbacks(execute=True):
        kicked = get(client, f"/fhir/Group/{group.pk}/$export", token, **ASYNC)
    path = kicked["Content-Location"].removeprefix(settings.SITE_URL)
    export = BulkExport.objects.get()
    file_path = f"/fhir/bulk-files/{export.pk}/Patient.ndjson"
    other = bearer(client, other_backend, rsa_key)
    assert get(client, path, other).status_code == 404
    assert get(client, file_path, other).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        deleted = client.delete(path, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert deleted.status_code == 202
    assert get(client, path, token).status_code == 404
    assert get(client, file_path, token).status_code == 404


def test_expired_exports_lose_their_files(
    client, token, attributed, django_capture_on_commit_callbacks
):
    group = attributed["group"]
    with django_capture_on_commit_callbacks(execute=True):
        get(client, f"/fhir/Group/{group.pk}/$export", token, **ASYNC)
    export = BulkExport.objects.get()
    assert exports_expire(now=timezone.now() + timedelta(hours=25)) == 1
    export.refresh_from_db()
    assert export.status == BulkExport.Status.EXPIRED
    file_path = f"/fhir/bulk-files/{export.pk}/Patient.ndjson"
    assert get(client, file_path, token).status_code == 404
    assert not (settings.MEDIA_ROOT / "bulk" / str(export.pk) / "Patient.ndjson").exists()


def test_the_expiry_sweep_is_on_beat():
    from um_portal.celery import app

    app.loader.import_default_modules()
    app.finalize()
    entry = app.conf.beat_schedule["access: expire bulk exports"]
    assert entry["task"] == "access.tasks.bulk_exports_expire"
    assert entry["schedule"] == 3600


def test_a_failed_run_says_so_on_the_status_url(client, token, attributed, monkeypatch):
    from access import services

    group = attributed["group"]
    kicked = get(client, f"/fhir/Group/{group.pk}/$export", token, **ASYNC)
    export = BulkExport.objects.get()

    def broken(member):
        raise RuntimeError("storage down")

    monkeypatch.setattr(services.pdex, "patient", broken)
    with pytest.raises(RuntimeError):
        services.export_run(export_id=export.pk)
    export.refresh_from_db()
    assert export.status == BulkExport.Status.FAILED
    status = get(client, kicked["Content-Location"].removeprefix(settings.SITE_URL), token)
    assert status.status_code == 500
    assert status.json()["resourceType"] == "OperationOutcome"
