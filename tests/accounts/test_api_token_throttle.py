"""Wrong API tokens are rate-limited per client address (issue 15): 429 with Retry-After."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from um_portal.audit.models import AuditEvent

LIST = "/api/v1/care-requests/"
SUBMIT = "/fhir/Claim/$submit"


def bearer(key: str, address: str = "10.1.0.1") -> APIClient:
    client = APIClient(REMOTE_ADDR=address)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@pytest.fixture
def good_key(provider_user):
    return Token.objects.create(user=provider_user).key


@pytest.mark.django_db
def test_wrong_tokens_are_answered_429_with_retry_after_once_the_limit_is_reached(
    good_key, settings
):
    settings.API_TOKEN_FAILURE_LIMIT = 10
    settings.API_TOKEN_COOLOFF_SECONDS = 900
    wrong = bearer("not-a-token")
    answers = [wrong.get(LIST).status_code for _ in range(10)]
    assert answers == [401] * 10

    refused = wrong.get(LIST)
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert 890 <= int(refused["Retry-After"]) <= 900
    # Even the right token is refused from that address until the period ends...
    assert bearer(good_key).get(LIST).status_code == 429
    # ...while other addresses are not affected.
    assert bearer(good_key, address="10.1.0.2").get(LIST).status_code == 200
    event = AuditEvent.objects.get(action="api_token.throttled")
    assert event.data == {"ip_address": "10.1.0.1", "failures": 10}


@pytest.mark.django_db
def test_fhir_answers_a_throttled_client_with_an_operation_outcome(settings):
    settings.API_TOKEN_FAILURE_LIMIT = 2
    wrong = bearer("not-a-token", address="10.1.1.1")
    for _ in range(2):
        assert wrong.post(SUBMIT, {}, format="json").status_code == 401

    response = wrong.post(SUBMIT, {}, format="json")

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["resourceType"] == "OperationOutcome"
    assert response.json()["issue"][0]["code"] == "throttled"


@pytest.mark.django_db
def test_the_block_ends_after_the_cool_off(good_key, settings):
    settings.API_TOKEN_FAILURE_LIMIT = 1
    settings.API_TOKEN_COOLOFF_SECONDS = 1
    wrong = bearer("not-a-token", address="10.1.2.1")
    wrong.get(LIST)
    assert bearer(good_key, address="10.1.2.1").get(LIST).status_code == 429
    import time

    time.sleep(1.1)
    assert bearer(good_key, address="10.1.2.1").get(LIST).status_code == 200
