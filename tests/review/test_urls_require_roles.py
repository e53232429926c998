"""Deny by default: every review URL needs a login and a clinical role."""

import uuid

import pytest
from django.urls import URLPattern, get_resolver, reverse

pytestmark = pytest.mark.django_db


def review_urls() -> list[str]:
    resolver = get_resolver().url_patterns
    review = next(p for p in resolver if getattr(p, "namespace", None) == "review")
    urls = []
    for pattern in review.url_patterns:
        assert isinstance(pattern, URLPattern)
        args = [uuid.uuid4() for _ in pattern.pattern.converters]
        urls.append(reverse(f"review:{pattern.name}", args=args))
    return urls


def test_every_review_url_needs_login(client):
    for url in review_urls():
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code in (302, 405), url
            if response.status_code == 302:
                assert response["Location"].startswith(reverse("login")), url


@pytest.mark.parametrize("persona", ["intake", "manager", "provider", "outsider"])
def test_every_review_url_refuses_non_clinical_roles(client_for, personas, persona):
    client = client_for(personas[persona])
    # A UM manager may reassign cases (queue leads and managers balance the work); a random
    # case id then answers 404. Every other review URL is for nurses and directors only.
    manager_allowed = {reverse("review:reassign", args=[uuid.UUID(int=0)]).split("/")[-2]}
    for url in review_urls():
        for method in (client.get, client.post):
            status = method(url).status_code
            if persona == "manager" and url.rstrip("/").split("/")[-1] in manager_allowed:
                assert status in (404, 405), url
            else:
                assert status in (403, 405), url
