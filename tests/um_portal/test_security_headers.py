"""Security headers and production defaults (issue 15): a Content-Security-Policy that allows
only our own scripts and styles, no framing, HSTS in production mode, and a clean
`manage.py check --deploy` with the README's production settings."""

import re

import pytest
from rest_framework.authtoken.models import Token

from tests.um_portal.test_settings_security import ROOT, run_settings

EXPECTED_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";") if part.strip())


def assert_protected(response) -> None:
    assert policy(response) == EXPECTED_CSP
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_an_html_page_has_the_csp_and_refuses_framing(client_for, nurse):
    response = client_for(nurse).get("/review/")
    assert response.status_code == 200
    assert_protected(response)


@pytest.mark.django_db
def test_the_sign_in_page_has_the_csp(client):
    assert_protected(client.get("/accounts/login/"))


@pytest.mark.django_db
def test_the_api_has_the_csp(client, provider_user):
    key = Token.objects.create(user=provider_user).key
    response = client.get("/api/v1/care-requests/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    assert_protected(response)


@pytest.mark.django_db
def test_fhir_has_the_csp(client):
    assert_protected(client.get("/fhir/metadata"))
    assert_protected(client.post("/fhir/Claim/$submit", {}, content_type="application/json"))


@pytest.mark.django_db
def test_the_api_docs_page_has_no_inline_script(client):
    response = client.get("/api/docs/")
    html = response.content.decode()
    assert response.status_code == 200
    # Swagger UI sets inline styles while it draws: allowed on this page only, never scripts.
    assert policy(response) == {**EXPECTED_CSP, "style-src": "'self' 'unsafe-inline'"}
    assert response["X-Frame-Options"] == "DENY"
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []


@pytest.mark.django_db
def test_pages_turn_off_htmx_inline_indicator_styles(client_for, nurse):
    html = client_for(nurse).get("/review/").content.decode()
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles": false}'>""" in html


SECRET = "k" * 30 + "8f3c9a1e2b7d4c6f5a0e9d8c7b6a5f4e3d2c1b0a"


def readme_production_settings() -> dict[str, str]:
    """The variables the README's "Production mode" section exports (its generated secret key
    replaced by a fixed one of the same kind)."""
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Production mode") :]
    block = section[section.index("```sh") : section.index("```", section.index("```sh") + 5)]
    exported: dict[str, str] = {}
    for line in block.splitlines():
        if line.startswith("export "):
            for name, value in re.findall(r'(\w+)=("[^"]*"|\S+)', line):
                exported[name] = value.strip('"')
    exported["SECRET_KEY"] = SECRET
    return exported


README_PRODUCTION = readme_production_settings()


def test_the_readme_production_settings_were_read():
    assert sorted(README_PRODUCTION) == [
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "DJANGO_DEBUG",
        "REDIS_URL",
        "SECRET_KEY",
    ]
    assert README_PRODUCTION["DJANGO_DEBUG"] == "false"


def test_check_deploy_is_clean_with_the_readme_production_settings():
    result = run_settings(
        README_PRODUCTION,
        "import sys; from django.core.management import execute_from_command_line; "
        "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_mode_turns_on_hsts_and_the_https_redirect():
    result = run_settings(
        README_PRODUCTION,
        "import um_portal.settings as s; print(s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT, s.X_FRAME_OPTIONS)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["31536000", "True", "True", "DENY"]


@pytest.mark.django_db
def test_an_https_answer_carries_hsts_in_production_mode(client_for, nurse, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client_for(nurse).get("/review/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
