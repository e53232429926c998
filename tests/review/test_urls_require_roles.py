"""Deny by default: every review URL needs a login and a clinical role."""

import uuid

import pytest
from django.urls import URLPattern, get_resolver, reverse

pytestmark = pytest.mark.django_db


# Review URLs every staff role may use, and why; a random id then answers 404 (never 403).
ALL_STAFF = {
    "notifications": "each staff user's own clock warnings (assignees and queue leads)",
    "notifications_read_all": "marks the user's own warnings read",
    "notification_read": "marks one of the user's own warnings read",
    "extend_clock": "intake, nurses, directors and managers may extend a clock (CMS-0057-F)",
    "find": "the staff header's find-a-case box; it opens the case in the user's own workspace",
}
# A UM manager may also reassign cases (queue leads and managers balance the work).
MANAGER_ALSO = {"reassign"}


def review_urls() -> list[tuple[str, str]]:
    resolver = get_resolver().url_patterns
    review = next(p for p in resolver if getattr(p, "namespace", None) == "review")
    urls = []
    for pattern in review.url_patterns:
        assert isinstance(pattern, URLPattern)
        args = [uuid.uuid4() for _ in pattern.pattern.converters]
        urls.append((pattern.name, reverse(f"review:{pattern.name}", args=args)))
    return urls


def test_the_allow_lists_name_review_urls():
    names = {name for name, _ in review_urls()}
    assert set(ALL_STAFF) | MANAGER_ALSO <= names


def test_every_review_url_needs_login(client):
    for _, url in review_urls():
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code in (302, 405), url
            if response.status_code == 302:
                assert response["Location"].startswith(reverse("login")), url


@pytest.mark.parametrize("persona", ["intake", "manager", "provider", "outsider"])
def test_every_review_url_refuses_non_clinical_roles(client_for, personas, persona):
    client = client_for(personas[persona])
    allowed = set()
    if persona in ("intake", "manager"):
        allowed |= set(ALL_STAFF)
    if persona == "manager":
        allowed |= MANAGER_ALSO
    for name, url in review_urls():
        for method in (client.get, client.post):
            status = method(url).status_code
            if name in allowed:
                # 200 the own list, 302 after "mark all read", 404 for a random id, 405 method.
                assert status in (200, 302, 404, 405), url
            else:
                assert status in (403, 405), url
