"""Another organisation's request answers 404 at every portal URL, and nothing is written."""

import uuid

import pytest
from django.urls import get_resolver, reverse

from intake.models import CareRequest, CaseNote, Document, StatusEvent
from portal import urls as portal_urls

CASE_URLS = {
    "case": "get",
    "edit": "get",
    "documents": "get",
    "review": "get",
    "submit": "post",
    "info_response": "post",
    "withdraw": "post",
    "document": "get",
    "appeal_new": "post",
    "appeal_withdraw": "post",
    "feedback": "post",
}


def _kwargs(name, case, document):
    kwargs = {"care_request_id": case.pk}
    if name == "document":
        kwargs["document_id"] = document.pk
    if name == "appeal_withdraw":
        kwargs["appeal_id"] = uuid.uuid4()  # the case lookup refuses first
    return kwargs


def _snapshot():
    return (
        CareRequest.objects.count(),
        StatusEvent.objects.count(),
        Document.objects.count(),
        CaseNote.objects.count(),
        list(CareRequest.objects.values_list("status", flat=True)),
    )


def test_every_case_url_of_the_portal_is_covered():
    named = {p.name for p in portal_urls.urlpatterns if "care_request_id" in str(p.pattern)}
    assert named == set(CASE_URLS)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CASE_URLS))
def test_outsider_gets_404_for_another_organisations_case(
    name, client_for, outsider, own_case, own_document
):
    before = _snapshot()
    url = reverse(f"portal:{name}", kwargs=_kwargs(name, own_case, own_document))
    client = client_for(outsider)
    data = {"response": "x", "reason": "x", "rating": "5"}
    response = (
        getattr(client, CASE_URLS[name])(url, data)
        if CASE_URLS[name] == "post"
        else (client.get(url))
    )
    assert response.status_code == 404
    assert _snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CASE_URLS))
def test_staff_user_cannot_use_the_portal(name, client_for, nurse, own_case, own_document):
    url = reverse(f"portal:{name}", kwargs=_kwargs(name, own_case, own_document))
    response = client_for(nurse).get(url)
    assert response.status_code == 403


@pytest.mark.django_db
def test_anonymous_user_is_sent_to_login(client, own_case):
    response = client.get(reverse("portal:case", kwargs={"care_request_id": own_case.pk}))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_every_portal_url_requires_the_provider_role(client_for, manager):
    """Walk the portal URLconf: no view is reachable without the provider role."""
    resolver = get_resolver("portal.urls")
    for pattern in resolver.url_patterns:
        assert getattr(pattern.callback, "required_roles", None) == ("provider",), pattern.name


@pytest.mark.django_db
def test_request_list_shows_only_the_organisations_requests(
    client_for, provider_user, outsider, own_case, intake_specialist, other_organization
):
    from tests.factories import make_case

    theirs = make_case(actor=intake_specialist, organization=other_organization)
    body = client_for(provider_user).get(reverse("portal:home")).content.decode()
    assert own_case.reference in body
    assert theirs.reference not in body
