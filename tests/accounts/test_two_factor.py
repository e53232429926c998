"""Second factor (issue 15): TOTP with recovery codes, required for staff roles in production
mode, optional for providers. Codes are computed here from the enrolled secret, as an app would."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from um_portal.audit.models import AuditEvent

RIGHT = "pw-for-tests-1"
SETUP = "/accounts/two-factor/setup/"
VERIFY = "/accounts/two-factor/"


def code_for(device: TOTPDevice, *, offset: int = 0) -> str:
    return f"{totp(device.bin_key, t0=-offset * 30):06d}"


def sign_in(client, username: str):
    return client.post(reverse("login"), {"username": username, "password": RIGHT})


@pytest.fixture
def required(settings):
    settings.STAFF_2FA_REQUIRED = True


def enrol(client) -> list[str]:
    page = client.get(SETUP)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post(SETUP, {"code": code_for(device), "next": "/intake/"})
    assert response.status_code == 200
    return response.context["codes"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["intake", "nurse", "director", "manager"])
def test_staff_are_sent_to_enrol_before_any_page_in_production_mode(
    client, personas, persona, required
):
    response = sign_in(client, personas[persona].username)
    assert response.status_code == 302

    for path in ("/", "/intake/", "/review/", "/reports/"):
        page = client.get(path)
        assert page.status_code == 302
        assert page["Location"].startswith(SETUP + "?next=")


@pytest.mark.django_db
def test_the_api_answers_403_to_a_session_without_the_second_factor(client, nurse, required):
    sign_in(client, "nurse")
    response = client.get("/api/v1/care-requests/")
    assert response.status_code == 403
    assert response.json()["detail"] == "Sign in with your second factor first."


@pytest.mark.django_db
def test_enrolment_shows_a_qr_code_drawn_on_the_server_and_ten_recovery_codes(
    client, intake_specialist, required
):
    sign_in(client, "intake")
    page = client.get(SETUP)
    html = page.content.decode()
    assert '<svg width="' in html and 'class="segno"' in html
    device = TOTPDevice.objects.get(user=intake_specialist)
    assert page.context["secret"].replace(" ", "") in device.config_url

    codes = enrol(client)

    assert len(codes) == 10 and len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get("/intake/").status_code == 200
    assert AuditEvent.objects.filter(action="two_factor.enrolled", actor=intake_specialist).count()


@pytest.mark.django_db
def test_a_wrong_code_does_not_enrol(client, nurse, required):
    sign_in(client, "nurse")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=nurse)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"

    response = client.post(SETUP, {"code": wrong})

    assert response.status_code == 400
    device.refresh_from_db()
    assert device.confirmed is False
    assert client.get("/review/").status_code == 302


@pytest.mark.django_db
def test_an_enrolled_nurse_signs_in_with_password_and_current_code(client, nurse, required):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        sign_in(client, "nurse")
        enrol(client)
        client.post(reverse("logout"))
        device = TOTPDevice.objects.get(user=nurse, confirmed=True)
        traveller.shift(timedelta(minutes=1))  # a code is good once: the next one is new

        sign_in(client, "nurse")
        assert client.get("/review/")["Location"] == f"{VERIFY}?next=%2Freview%2F"
        # A code from two minutes ago is refused...
        stale = client.post(VERIFY, {"code": code_for(device, offset=-4), "next": "/review/"})
        assert stale.status_code == 400
        # ...and django-otp makes the next try wait a second.
        traveller.shift(timedelta(seconds=2))
        response = client.post(VERIFY, {"code": code_for(device), "next": "/review/"})

    assert response.status_code == 302
    assert response["Location"] == "/review/"
    assert client.get("/review/").status_code == 200
    assert AuditEvent.objects.filter(action="two_factor.failed").count() == 1


@pytest.mark.django_db
def test_a_recovery_code_signs_in_once(client, director, required):
    sign_in(client, "director")
    codes = enrol(client)
    client.post(reverse("logout"))

    sign_in(client, "director")
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 302
    assert client.get("/review/").status_code == 200
    client.post(reverse("logout"))

    sign_in(client, "director")
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 400
    assert client.get("/review/").status_code == 302
    assert StaticDevice.objects.get(user=director).token_set.count() == 9
    assert AuditEvent.objects.filter(action="two_factor.recovery_code_used").count() == 1


@pytest.mark.django_db
def test_with_the_setting_off_staff_sign_in_with_the_password_alone(client, nurse, settings):
    settings.STAFF_2FA_REQUIRED = False
    sign_in(client, "nurse")
    assert client.get("/review/").status_code == 200


@pytest.mark.django_db
def test_a_provider_is_not_required_but_may_enrol_and_is_then_asked(
    client, provider_user, required
):
    sign_in(client, "provider")
    assert client.get("/portal/").status_code == 200
    enrol(client)
    client.post(reverse("logout"))

    sign_in(client, "provider")
    assert client.get("/portal/")["Location"].startswith(VERIFY)


@pytest.mark.django_db
def test_an_enrolled_authenticator_cannot_be_replaced_with_the_password_alone(
    client, nurse, required
):
    sign_in(client, "nurse")
    enrol(client)
    client.post(reverse("logout"))
    sign_in(client, "nurse")

    response = client.get(SETUP)

    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=nurse).count() == 1


def test_the_setting_defaults_on_in_production_mode_and_off_in_the_demo():
    from tests.um_portal.test_settings_security import run_settings

    code = "import um_portal.settings as s; print(s.STAFF_2FA_REQUIRED)"
    secret = "k" * 30 + "8f3c9a1e2b7d4c6f5a0e9d8c7b6a5f4e3d2c1b0a"
    production = run_settings({"DJANGO_DEBUG": "false", "SECRET_KEY": secret}, code)
    demo = run_settings({}, code)
    switched_off = run_settings(
        {"DJANGO_DEBUG": "false", "SECRET_KEY": secret, "STAFF_2FA_REQUIRED": "false"}, code
    )
    assert (production.stdout.strip(), demo.stdout.strip()) == ("True", "False")
    assert switched_off.stdout.strip() == "False"
