"""Settings that protect PHI: automatic logoff after idle time, and no production start with an
insecure secret key."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[2]


def run_settings(env: dict[str, str], code: str) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter with exactly these variables changed."""
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests (Playwright runs an event loop) and
    # is an error for `check --deploy`: a deployment never has it.
    dropped = {"SECRET_KEY", "DJANGO_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    full_env = {k: v for k, v in os.environ.items() if k not in dropped}
    full_env.update({"DJANGO_SETTINGS_MODULE": "um_portal.settings", **env})
    if "SESSION_IDLE_MINUTES" not in env:
        full_env.pop("SESSION_IDLE_MINUTES", None)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
    )


# Importing the settings module is what is under test; django.setup() would only add seconds.
PRINT_SESSION = (
    "import um_portal.settings as s; "
    "print(s.SESSION_IDLE_MINUTES, s.SESSION_COOKIE_AGE, s.SESSION_SAVE_EVERY_REQUEST)"
)


def test_session_idle_timeout_defaults_to_15_minutes():
    result = run_settings({}, PRINT_SESSION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["15", "900", "True"]


def test_session_idle_timeout_is_configurable():
    result = run_settings({"SESSION_IDLE_MINUTES": "5"}, PRINT_SESSION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["5", "300", "True"]


def test_session_settings_in_this_process():
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_IDLE_MINUTES * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


@pytest.mark.django_db
def test_idle_session_ends_and_activity_keeps_it_alive(client_for, intake_specialist):
    client = client_for(intake_specialist)
    queue = reverse("intake:queue")
    idle = timedelta(minutes=settings.SESSION_IDLE_MINUTES)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        assert client.get(queue).status_code == 200
        session = Session.objects.get()
        assert session.expire_date == start + idle
        # Activity just before the limit renews it...
        traveller.shift(idle - timedelta(minutes=1))
        assert client.get(queue).status_code == 200
        # ...and after a full idle period the user is signed out.
        traveller.shift(idle + timedelta(seconds=1))
        response = client.get(queue)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = run_settings(
        {"DJANGO_DEBUG": "false"},
        "import django; django.setup()",
    )
    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured: SECRET_KEY must be set to a random " in (
        result.stderr
    )


def test_production_mode_refuses_a_short_secret_key():
    result = run_settings(
        {"DJANGO_DEBUG": "false", "SECRET_KEY": "short"}, "import django; django.setup()"
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY must be set" in result.stderr


def test_production_mode_starts_with_a_real_secret_key():
    result = run_settings(
        {
            "DJANGO_DEBUG": "false",
            "SECRET_KEY": "k" * 30 + "8f3c9a1e2b7d4c6f5a0e9d8c7b6a5f4e3d2c1b0a",
        },
        "import um_portal.settings as s; print(s.DEBUG)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
