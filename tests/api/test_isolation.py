"""Another organisation's request answers 404 at every API URL, and nothing is written."""

import pytest
from django.urls import get_resolver

from intake.models import CareRequest, CaseNote, Document, StatusEvent
from intake.services.documents import document_upload
from tests.portal.files import PDF


def _case_urls():
    """Every /api/v1/ URL pattern that names a care request, with its methods."""
    resolver = get_resolver("um_portal.api_urls")
    urls = []
    for pattern in resolver.url_patterns:
        route = str(pattern.pattern)
        if "care_request_id" not in route:
            continue
        view = pattern.callback.view_class
        methods = [m for m in ("get", "post") if hasattr(view, m)]
        for method in methods:
            urls.append((route, method))
    return urls


CASE_URLS = _case_urls()


def test_the_walk_found_every_case_url():
    routes = {route for route, _ in CASE_URLS}
    assert len(routes) == 13  # with the appeals filing (v1/care-requests/<id>/appeals/)
    assert "v1/care-requests/<uuid:care_request_id>/withdraw/" in routes


def _snapshot():
    return (
        StatusEvent.objects.count(),
        Document.objects.count(),
        CaseNote.objects.count(),
        list(CareRequest.objects.values_list("status", flat=True)),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "method"), CASE_URLS)
def test_outsider_gets_404_for_another_organisations_case(
    route, method, api_for, outsider, provider_user, own_case
):
    document = document_upload(
        care_request=own_case,
        actor=provider_user,
        kind="clinical_notes",
        name="a.pdf",
        data=PDF,
        channel="api",
    )
    url = "/api/" + route.replace("<uuid:care_request_id>", str(own_case.pk)).replace(
        "<uuid:document_id>", str(document.pk)
    )
    before = _snapshot()
    client = api_for(outsider)
    data = {
        "reason": "x",
        "response": "x",
        "body": "x",
        "note": "x",
        "description": "x",
        "due_by": "2099-01-01T00:00:00Z",
    }
    response = client.get(url) if method == "get" else client.post(url, data, format="json")
    assert response.status_code == 404, url
    assert _snapshot() == before
