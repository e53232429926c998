"""Password rules (issue 15): at least 12 characters and not a common password."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from um_portal.demo.accounts import DEMO_PASSWORD


def problems(password: str) -> list[str]:
    try:
        validate_password(password)
    except ValidationError as error:
        return [e.code for e in error.error_list]
    return []


def test_a_password_shorter_than_12_characters_is_refused():
    assert problems("k7#Vq2!mZp9") == ["password_too_short"]


def test_a_12_character_uncommon_password_is_accepted():
    assert problems("k7#Vq2!mZp9x") == []


def test_a_common_password_is_refused_whatever_its_length():
    assert problems("password1234") == ["password_too_common"]


def test_the_demo_and_test_passwords_satisfy_the_rules():
    assert problems(DEMO_PASSWORD) == []
    assert problems("pw-for-tests-1") == []


@pytest.mark.django_db
def test_the_admin_refuses_a_short_password_for_a_new_user(client_for, manager):
    manager.is_staff = manager.is_superuser = True
    manager.save()
    response = client_for(manager).post(
        "/admin/accounts/user/add/",
        {"username": "newbie", "password1": "short-pw-1", "password2": "short-pw-1"},
    )
    assert response.status_code == 200
    assert "This password is too short. It must contain at least 12 characters." in (
        response.content.decode()
    )
