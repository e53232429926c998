"""The appeals REST API: filing, reading, documents, isolation between organisations."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from appeals.models import Appeal
from intake.demo import demo_pdf
from tests.api.conftest import api_for  # noqa: F401
from um_portal.audit.models import AccessLog

pytestmark = pytest.mark.django_db


def url(case):
    return f"/api/v1/care-requests/{case.pk}/appeals/"


def test_provider_files_an_appeal_by_api(api_for, provider_user, denied_case):  # noqa: F811
    response = api_for(provider_user).post(
        url(denied_case), {"reason": "Therapy notes show eight weeks."}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    appeal = Appeal.objects.get()
    assert body["id"] == str(appeal.pk)
    assert body["reference"] == appeal.reference
    assert (body["status"], body["priority"], body["channel"]) == ("received", "standard", "api")
    assert body["received_at"] and body["due_at"]
    assert [x["sequence"] for x in body["lines"]] == [1, 2]


def test_expedited_and_chosen_lines(api_for, provider_user, denied_case):  # noqa: F811
    line = denied_case.service_lines.get(sequence=2)
    body = (
        api_for(provider_user)
        .post(
            url(denied_case),
            {"reason": "Urgent.", "expedited": True, "lines": [str(line.pk)]},
            format="json",
        )
        .json()
    )
    assert body["priority"] == "expedited"
    assert [x["service_line"] for x in body["lines"]] == [str(line.pk)]


def test_refusal_is_a_400_with_field_errors_and_writes_nothing(
    api_for,  # noqa: F811
    provider_user,
    make_denied_case,
):
    case = make_denied_case(lines=1, outcomes=["approve"])
    response = api_for(provider_user).post(url(case), {"reason": "Please."}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "care_request": ["This request has no adverse decision to appeal."]
    }
    assert Appeal.objects.count() == 0


def test_other_organisation_gets_404_everywhere(
    api_for,  # noqa: F811
    provider_user,
    outsider,
    denied_case,
    file_appeal,
):
    appeal = file_appeal(denied_case)
    client = api_for(outsider)
    assert client.post(url(denied_case), {"reason": "x"}, format="json").status_code == 404
    assert client.get(f"/api/v1/appeals/{appeal.pk}/").status_code == 404
    upload = SimpleUploadedFile("notes.pdf", demo_pdf("Notes"), content_type="application/pdf")
    assert (
        client.post(f"/api/v1/appeals/{appeal.pk}/documents/", {"file": upload}).status_code == 404
    )
    assert client.get("/api/v1/appeals/").json()["results"] == []
    assert Appeal.objects.count() == 1
    own = api_for(provider_user).get("/api/v1/appeals/").json()["results"]
    assert [a["id"] for a in own] == [str(appeal.pk)]


def test_detail_is_logged_and_documents_are_added(
    api_for,  # noqa: F811
    provider_user,
    denied_case,
    file_appeal,
):
    appeal = file_appeal(denied_case)
    client = api_for(provider_user)
    uploads = [
        SimpleUploadedFile(n, demo_pdf(n), content_type="application/pdf")
        for n in ("notes.pdf", "therapy.pdf")
    ]
    for upload in uploads:
        response = client.post(f"/api/v1/appeals/{appeal.pk}/documents/", {"file": upload})
        assert response.status_code == 201
    body = client.get(f"/api/v1/appeals/{appeal.pk}/").json()
    assert [d["name"] for d in body["documents"]] == ["notes.pdf", "therapy.pdf"]
    assert AccessLog.objects.filter(
        user=provider_user, action="api_read_appeal", object_id=str(appeal.pk)
    ).exists()


def test_list_costs_the_same_for_one_or_three_appeals(
    api_for,  # noqa: F811
    provider_user,
    make_denied_case,
    file_appeal,
    django_assert_num_queries,
):
    client = api_for(provider_user)
    file_appeal(make_denied_case())
    with django_assert_num_queries(8):
        client.get("/api/v1/appeals/")
    file_appeal(make_denied_case())
    file_appeal(make_denied_case())
    with django_assert_num_queries(8):
        assert len(client.get("/api/v1/appeals/").json()["results"]) == 3


def test_schema_lists_the_appeal_endpoints(client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    assert {
        "/api/v1/care-requests/{care_request_id}/appeals/",
        "/api/v1/appeals/",
        "/api/v1/appeals/{appeal_id}/",
        "/api/v1/appeals/{appeal_id}/documents/",
    } <= set(paths)
