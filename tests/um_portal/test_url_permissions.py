"""Deny by default: walk every URL pattern in the project and prove that nobody anonymous gets a
page, and that a provider never gets a staff page.

A new view is covered the moment its pattern is added; the allow-list says, per name, why a page
may answer an anonymous visitor.
"""

import re
import uuid

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve

# Pages an anonymous visitor may see, and why. Keep this tiny.
SIGN_IN_PAGES = {
    "login": "the sign-in page itself",
    "admin:login": "the admin's sign-in page (staff sign in there)",
}
PUBLIC_PAGES = {
    "api:schema": "the OpenAPI description of the API: no data, published for integrators",
    "api:docs": "the interactive API documentation page: no data, reads the schema",
    "fhir:metadata": "the FHIR CapabilityStatement, public by the FHIR specification",
    "favicon": "a redirect to the site's icon in static/: no data",
    "healthz": "the load balancer's liveness check: 'ok' or 503, no data",
    "patient_access:smart_configuration": "SMART's discovery document, public by SMART App "
    "Launch: the authorization server's addresses, no data",
    "cds:discovery": "the CDS Hooks discovery document, public by CDS Hooks: the services and "
    "what they prefetch, no data",
}
ANONYMOUS_ALLOWED = SIGN_IN_PAGES | PUBLIC_PAGES
# Patterns with no name get this instead of a name in reports.
UNNAMED = "<unnamed>"
STAFF_PREFIXES = (
    "/intake/",
    "/review/",
    "/reports/",
    "/admin/",
    "/appeals/",
    "/inbox/",
    "/members/",
    "/interop/",
    "/mailroom/",
)
# The provider's pages: the portal itself and the peer-to-peer pages scheduling serves to it.
PROVIDER_PREFIXES = ("/portal/", "/scheduling/portal/")
# The member's own pages; their invitation link (members:join) answers anyone, and shows nothing
# before the member ID and birth date match.
MEMBER_PREFIXES = ("/member/",)
MEMBER_PUBLIC = {"members:join"}

SAMPLE_UUID = str(uuid.UUID("8d1f0b6e-4a55-4b8e-9a55-3f1c2b7d9e01"))
SAMPLES_BY_CONVERTER = {
    "uuid": SAMPLE_UUID,
    "int": "1",
    "slug": "sample",
    "str": "sample",
    "path": "sample",
}
_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^)]*)\)")
_LITERAL_ALTERNATIVES = re.compile(r"^[\w-]+(\|[\w-]+)*$")


def _fill_route(route: str) -> str:
    return _ROUTE_PARAM.sub(
        lambda m: SAMPLES_BY_CONVERTER.get(m["converter"] or "str", "sample"), route
    )


def _fill_regex(regex: str) -> str:
    def group(match: re.Match) -> str:
        body = match["body"]
        if _LITERAL_ALTERNATIVES.match(body):  # e.g. admin's (?P<app_label>auth|intake|...)
            return body.split("|")[0]
        if "d" in body and "\\d" in body:
            return "1"
        return "sample"

    filled = _REGEX_GROUP.sub(group, regex)
    filled = filled.lstrip("^").rstrip("$").replace("\\Z", "")
    return filled.replace(".*", "sample").replace("\\", "")


def _fill(pattern) -> str:
    text = str(pattern.pattern)
    if hasattr(pattern.pattern, "_route"):
        return _fill_route(text)
    return _fill_regex(text)


def walk(patterns=None, prefix: str = "/", namespace: str = ""):
    """(name, concrete path) for every URL pattern of the project."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}{pattern.namespace}:"
            yield from walk(pattern.url_patterns, prefix + _fill(pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else UNNAMED
            yield name, prefix + _fill(pattern), pattern.callback


ALL_URLS = sorted({(name, path) for name, path, _ in walk()})


def test_the_walker_fills_every_pattern_so_that_it_resolves():
    assert len(ALL_URLS) > 20
    for name, path, callback in walk():
        match = resolve(path)
        assert match.func == callback, f"{name}: {path} resolved to {match.view_name}"


def test_the_walk_reaches_every_workspace():
    paths = [path for _, path in ALL_URLS]
    for prefix in ("/intake/cases/", "/intake/new/", "/review/", "/reports/", "/admin/"):
        assert any(p.startswith(prefix) for p in paths), prefix


def test_allow_list_names_exist():
    names = {name for name, _ in ALL_URLS}
    assert set(ANONYMOUS_ALLOWED) <= names


def _anonymous_problem(client, name: str, path: str) -> str | None:
    response = client.get(path)
    if response.status_code in {401, 403, 404, 405}:
        return None
    if response.status_code not in {301, 302}:
        return f"{name} {path} answered {response.status_code}"
    # A redirect must end on a sign-in page (or a refusal), never on content.
    final = client.get(path, follow=True)
    landed = resolve(final.request["PATH_INFO"]).view_name
    if landed in ANONYMOUS_ALLOWED or final.status_code in {401, 403, 404, 405}:
        return None
    return f"{name} {path} led to {landed} ({final.status_code})"


# One test walks them all (rather than one test per URL) to keep the suite fast; the failure
# message lists every offending URL.
@pytest.mark.django_db
def test_anonymous_get_never_gets_a_page(client):
    problems = [
        problem
        for name, path in ALL_URLS
        if name not in ANONYMOUS_ALLOWED
        for problem in [_anonymous_problem(client, name, path)]
        if problem
    ]
    assert problems == []


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(SIGN_IN_PAGES))
def test_allow_listed_pages_are_the_sign_in_forms(client, name):
    path = next(p for n, p in ALL_URLS if n == name)
    response = client.get(path)
    assert response.status_code == 200
    assert 'type="password"' in response.content.decode()


@pytest.mark.django_db
def test_provider_never_gets_a_staff_page(client_for, provider_user):
    client = client_for(provider_user)
    staff_urls = [(n, p) for n, p in ALL_URLS if p.startswith(STAFF_PREFIXES)]
    assert len(staff_urls) > 20
    # Pages every staff role may use (not only clinical ones) are still staff pages.
    assert {
        "review:notifications",
        "review:notifications_read_all",
        "review:notification_read",
        "review:extend_clock",
    } <= {n for n, _ in staff_urls}
    problems = [
        f"{method.upper()} {name} {path} answered {status}"
        for name, path in staff_urls
        for method in ("get", "post")
        for status in [getattr(client, method)(path).status_code]
        if status not in {403, 404}
    ]
    assert problems == []


@pytest.mark.django_db
def test_staff_without_admin_rights_are_refused_by_the_admin(client_for, intake_specialist):
    client = client_for(intake_specialist)
    assert client.get("/admin/").status_code == 403
    assert client.get("/admin/login/").status_code == 403


@pytest.mark.django_db
def test_manager_with_staff_status_reaches_the_admin(client_for, manager):
    manager.is_staff = True  # the role's permissions suffice: no superuser
    manager.save()
    assert client_for(manager).get("/admin/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["intake", "nurse", "director", "manager"])
def test_staff_never_get_provider_portal_pages(client_for, personas, persona):
    client = client_for(personas[persona])
    portal_urls = [(n, p) for n, p in ALL_URLS if p.startswith(PROVIDER_PREFIXES)]
    assert {"scheduling:portal_cancel", "scheduling:portal_reschedule"} <= {
        n for n, _ in portal_urls
    }
    problems = [
        f"{method.upper()} {name} {path} answered {status}"
        for name, path in portal_urls
        for method in ("get", "post")
        for status in [getattr(client, method)(path).status_code]
        if status not in {403, 404}
    ]
    assert problems == []


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["intake", "nurse", "director", "manager", "provider"])
def test_staff_and_providers_never_get_member_pages(client_for, personas, persona):
    client = client_for(personas[persona])
    member_urls = [
        (n, p) for n, p in ALL_URLS if p.startswith(MEMBER_PREFIXES) and n not in MEMBER_PUBLIC
    ]
    assert {"members:home", "members:request", "members:letter_pdf"} <= {n for n, _ in member_urls}
    problems = [
        f"{method.upper()} {name} {path} answered {status}"
        for name, path in member_urls
        for method in ("get", "post")
        for status in [getattr(client, method)(path).status_code]
        if status not in {403, 404, 405}
    ]
    assert problems == []


@pytest.mark.django_db
def test_a_member_never_gets_a_staff_or_provider_page(client):
    from tests.factories import UserFactory
    from um_portal.accounts.roles import Role

    client.force_login(UserFactory(username="a-member", roles=[Role.MEMBER]))
    urls = [(n, p) for n, p in ALL_URLS if p.startswith(STAFF_PREFIXES + PROVIDER_PREFIXES)]
    problems = [
        f"{method.upper()} {name} {path} answered {status}"
        for name, path in urls
        for method in ("get", "post")
        for status in [getattr(client, method)(path).status_code]
        if status not in {403, 404}
    ]
    assert problems == []
