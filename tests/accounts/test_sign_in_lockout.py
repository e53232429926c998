"""Sign-in throttling (issue 15): by account and by client address, with an audit trail, an
answer that never tells whether the account exists, a cool-off and a manager's unlock."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from um_portal.audit.models import AuditEvent

LOGIN = "/accounts/login/"
RIGHT = "pw-for-tests-1"
LOCKED_MESSAGE = "Too many failed sign-ins. Sign-in is paused for 15 minutes"


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("at").values_list("action", flat=True))


@pytest.mark.django_db
def test_twenty_wrong_passwords_lock_the_account_and_the_right_one_then_fails(client, nurse):
    answers = [sign_in(client, "nurse", f"wrong-{i}").status_code for i in range(20)]
    assert answers == [200] * 4 + [429] * 16

    response = sign_in(client, "nurse", RIGHT)

    assert response.status_code == 429
    assert LOCKED_MESSAGE in response.content.decode()
    assert not signed_in(client)


@pytest.mark.django_db
def test_every_failure_and_lockout_is_an_audit_event(client, nurse):
    for i in range(5):
        sign_in(client, "nurse", f"wrong-{i}")

    assert sorted(actions()) == ["sign_in.failed"] * 5 + ["sign_in.locked_out"]
    failure = AuditEvent.objects.filter(action="sign_in.failed").first()
    assert failure.actor is None
    assert failure.data == {"username": "nurse", "ip_address": "10.0.0.1", "path": LOGIN}
    assert "wrong-" not in str(list(AuditEvent.objects.values_list("data", "summary")))


@pytest.mark.django_db
def test_the_lockout_answer_does_not_reveal_whether_the_account_exists(client, nurse):
    for i in range(5):
        known = sign_in(client, "nurse", f"wrong-{i}", address="10.0.0.1")
        unknown = sign_in(client, "nobody-by-this-name", f"wrong-{i}", address="10.0.0.2")
        assert known.status_code == unknown.status_code

    def message(response) -> str:
        html = response.content.decode()
        return html[html.index('role="alert"') : html.index("</p>", html.index('role="alert"'))]

    assert message(known) == message(unknown)
    assert LOCKED_MESSAGE in message(known)
    first_known = sign_in(client, "director", "wrong", address="10.0.0.3")
    first_unknown = sign_in(client, "nobody-else", "wrong", address="10.0.0.4")
    assert message(first_known) == message(first_unknown)


@pytest.mark.django_db
def test_the_account_is_locked_whatever_address_the_guesses_come_from(client, nurse):
    for i in range(5):
        sign_in(client, "nurse", "wrong", address=f"10.0.1.{i}")

    response = sign_in(client, "nurse", RIGHT, address="10.0.2.1")

    assert response.status_code == 429
    assert not signed_in(client)


@pytest.mark.django_db
def test_one_address_guessing_many_accounts_is_locked(client, nurse, director):
    for i in range(5):
        sign_in(client, f"someone-{i}", "wrong", address="10.0.3.1")

    assert sign_in(client, "nurse", RIGHT, address="10.0.3.1").status_code == 429
    assert not signed_in(client)
    assert sign_in(client, "director", RIGHT, address="10.0.3.2").status_code == 302
    assert signed_in(client)


@pytest.mark.django_db
def test_fewer_failures_than_the_limit_do_not_lock(client, nurse):
    for _i in range(4):
        sign_in(client, "nurse", "wrong")

    assert sign_in(client, "nurse", RIGHT).status_code == 302
    assert signed_in(client)


@pytest.mark.django_db
def test_the_limit_is_a_setting(client, nurse, settings):
    settings.AXES_FAILURE_LIMIT = 2
    sign_in(client, "nurse", "wrong")
    assert sign_in(client, "nurse", "wrong").status_code == 429


@pytest.mark.django_db
def test_the_lock_ends_after_the_cool_off(client, nurse):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        for _i in range(5):
            sign_in(client, "nurse", "wrong")
        traveller.shift(timedelta(minutes=14))
        assert sign_in(client, "nurse", RIGHT).status_code == 429
        # A refused attempt during the lock starts the cool-off again.
        traveller.shift(timedelta(minutes=15, seconds=1))
        assert sign_in(client, "nurse", RIGHT).status_code == 302
    assert signed_in(client)


@pytest.mark.django_db
def test_a_manager_sees_and_unlocks_a_locked_account(client, client_for, nurse, manager):
    for _i in range(5):
        sign_in(client, "nurse", "wrong")
    staff = client_for(manager)
    page = staff.get(reverse("accounts:lockouts"))
    assert page.status_code == 200
    assert page.context["usernames"][0]["key"] == "nurse"
    assert page.context["usernames"][0]["failures"] == 5
    assert page.context["usernames"][0]["locked"] is True

    response = staff.post(reverse("accounts:lockouts"), {"username": "nurse"})

    assert response.status_code == 302
    unlock = AuditEvent.objects.get(action="sign_in.unlocked")
    assert unlock.actor == manager
    assert unlock.data == {"username": "nurse", "ip_address": "", "attempts_removed": 1}
    staff.logout()
    assert sign_in(staff, "nurse", RIGHT).status_code == 302


@pytest.mark.django_db
def test_a_manager_unlocks_an_address(client, client_for, nurse, manager):
    for i in range(5):
        sign_in(client, f"guess-{i}", "wrong", address="10.0.4.1")
    staff = client_for(manager)
    staff.post(reverse("accounts:lockouts"), {"ip_address": "10.0.4.1"})
    staff.logout()
    assert sign_in(staff, "nurse", RIGHT, address="10.0.4.1").status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["nurse", "director", "intake", "provider"])
def test_only_managers_may_unlock(client_for, personas, persona):
    client = client_for(personas[persona])
    assert client.get(reverse("accounts:lockouts")).status_code == 403
    assert client.post(reverse("accounts:lockouts"), {"username": "x"}).status_code == 403
    assert not AuditEvent.objects.filter(action="sign_in.unlocked").exists()


@pytest.mark.django_db
def test_the_admin_sign_in_is_locked_too(client, manager):
    for _i in range(5):
        client.post(
            "/admin/login/", {"username": "manager", "password": "wrong"}, REMOTE_ADDR="10.0.5.1"
        )
    response = client.post(
        "/admin/login/", {"username": "manager", "password": RIGHT}, REMOTE_ADDR="10.0.5.2"
    )
    assert response.status_code == 429
    assert not signed_in(client)
