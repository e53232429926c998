"""PAS subscriptions (R4 backport, rest-hook, full-resource): handshake, delivery of the PAS
Response Bundle when a nurse approves, retries then a dead letter, never twice, isolation."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle

from intake.models import CareRequest, StatusEvent
from review.services.nurse_review import care_request_nurse_approve
from subscriptions.models import Notification, Subscription
from subscriptions.services.bundles import FILTER_URL, PAS_TOPIC, PAYLOAD_CONTENT_URL
from subscriptions.services.delivery import notification_deliver
from subscriptions.services.outbox import heartbeats_queue, notifications_fan_out
from tests.fhir.conftest import FHIR_JSON, post, review_actions
from tests.review.conftest import answer_all, to_nurse_review
from um_portal.audit.models import AuditEvent

from .conftest import notification_type


def subscription_body(endpoint_url: str, org_identifier: str, **changes) -> dict:
    body = {
        "resourceType": "Subscription",
        "status": "requested",
        "reason": "Pended PAS results",
        "criteria": PAS_TOPIC,
        "_criteria": {
            "extension": [
                {
                    "url": FILTER_URL,
                    "valueString": f"ClaimResponse?orgIdentifier=http://hl7.org/fhir/sid/us-npi|{org_identifier}",
                }
            ]
        },
        "channel": {
            "type": "rest-hook",
            "endpoint": endpoint_url,
            "payload": "application/fhir+json",
            "_payload": {"extension": [{"url": PAYLOAD_CONTENT_URL, "valueCode": "full-resource"}]},
            "header": ["Authorization: Bearer ehr-secret"],
        },
    }
    body.update(changes)
    return body


@pytest.fixture
def subscribe(pas_client, endpoint, org_provider, django_capture_on_commit_callbacks):
    def create(**changes):
        with django_capture_on_commit_callbacks(execute=True):
            response = post(
                pas_client,
                "/fhir/Subscription",
                subscription_body(endpoint.url, org_provider.npi, **changes),
            )
        assert response.status_code == 201, response.content
        return Subscription.objects.get(pk=response.json()["id"])

    return create


@pytest.fixture
def pended_case(pas_client, bundle_for, example_member):
    response = post(pas_client, "/fhir/Claim/$submit", bundle_for(example_member, identifier="P-1"))
    assert response.status_code == 200
    assert review_actions(response.json()) == {1: "A4"}
    return CareRequest.objects.get()


@pytest.mark.django_db
def test_creating_a_subscription_shakes_hands_and_activates_it(subscribe, endpoint):
    subscription = subscribe()
    assert endpoint.kinds() == ["handshake"]
    assert endpoint.headers[0]["Authorization"] == "Bearer ehr-secret"
    Bundle.model_validate(endpoint.received[0])
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.ACTIVE
    assert AuditEvent.objects.filter(action="subscription.created").count() == 1


@pytest.mark.django_db
def test_a_failed_handshake_leaves_the_subscription_requested_then_in_error(
    subscribe, endpoint, settings
):
    settings.SUBSCRIPTION_MAX_ATTEMPTS = 1
    endpoint.status = 500
    subscription = subscribe()
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.ERROR
    assert Notification.objects.get().status == Notification.Status.DEAD


@pytest.mark.django_db
def test_the_rest_hook_receives_the_decision_when_a_nurse_approves(
    subscribe,
    endpoint,
    pended_case,
    intake_specialist,
    nurse,
    django_capture_on_commit_callbacks,
):
    from review.demo_criteria import seed_criteria_sets

    seed_criteria_sets()
    subscription = subscribe()
    case = to_nurse_review(pended_case, intake=intake_specialist, assign_to=nurse)
    answer_all(case, nurse, "met")
    with django_capture_on_commit_callbacks(execute=True):
        care_request_nurse_approve(care_request=case, nurse=nurse, summary="All met.")
    assert endpoint.kinds() == ["handshake", "event-notification"]
    notification = endpoint.received[1]
    Bundle.model_validate(notification)
    status = notification["entry"][0]["resource"]
    assert status["resourceType"] == "Parameters"
    event = next(p for p in status["parameter"] if p["name"] == "notification-event")
    assert event["part"][0] == {"name": "event-number", "valueString": "1"}
    response_bundle = notification["entry"][1]["resource"]
    assert response_bundle["entry"][0]["resource"]["resourceType"] == "ClaimResponse"
    assert review_actions(response_bundle) == {1: "A1"}
    assert (
        response_bundle["entry"][0]["resource"]["preAuthRef"]
        == CareRequest.objects.get().auth_number
    )
    delivered = Notification.objects.get(kind=Notification.Kind.EVENT)
    assert (delivered.status, delivered.attempts) == (Notification.Status.DELIVERED, 1)
    # The subscriber's read of the case is in the access log.
    from um_portal.audit.models import AccessLog

    assert AccessLog.objects.filter(action="fhir_notification", case_id=case.pk).count() == 1
    assert Subscription.objects.get(pk=subscription.pk).events_since_start == 1


def _event_notification(subscription, case) -> Notification:
    event = StatusEvent.objects.filter(care_request=case).last()
    (notification_id,) = notifications_fan_out(status_event_ids=[event.pk])
    return Notification.objects.get(pk=notification_id)


def _withdraw_event(case, user):
    from intake.services.workflow import care_request_withdraw

    care_request_withdraw(care_request=case, actor=user, reason="Not needed")


@pytest.mark.django_db
def test_a_failing_endpoint_is_retried_with_backoff_then_dead_lettered(
    subscribe, endpoint, pended_case, provider_user, settings
):
    settings.SUBSCRIPTION_MAX_ATTEMPTS = 3
    settings.SUBSCRIPTION_BACKOFF_SECONDS = 30
    subscription = subscribe()
    endpoint.status = 503
    _withdraw_event(pended_case, provider_user)
    notification = _event_notification(subscription, pended_case)
    outcomes = []
    for _ in range(3):
        outcomes.append(notification_deliver(notification.pk))
        Notification.objects.filter(pk=notification.pk).update(next_attempt_at=timezone.now())
    assert [(o.result, o.retry_in) for o in outcomes] == [
        ("retry", 30),
        ("retry", 60),
        ("dead", None),
    ]
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.last_error) == (
        Notification.Status.DEAD,
        3,
        "HTTP 503",
    )
    assert endpoint.kinds() == ["handshake"] + ["event-notification"] * 3


@pytest.mark.django_db
def test_an_event_is_never_queued_or_sent_twice(subscribe, endpoint, pended_case, provider_user):
    subscription = subscribe()
    _withdraw_event(pended_case, provider_user)
    notification = _event_notification(subscription, pended_case)
    assert notifications_fan_out() == []  # the sweeper finds nothing more owed
    assert notification_deliver(notification.pk).result == "delivered"
    assert notification_deliver(notification.pk).result == "skipped"
    assert endpoint.kinds() == ["handshake", "event-notification"]
    assert Notification.objects.filter(kind=Notification.Kind.EVENT).count() == 1


@pytest.mark.django_db
def test_another_organisations_subscription_is_sent_nothing(
    subscribe, endpoint, pended_case, provider_user, outsider
):
    mine = subscribe()
    theirs = Subscription.objects.create(
        organization=outsider.provider_organization,
        created_by=outsider,
        status=Subscription.Status.ACTIVE,
        topic=PAS_TOPIC,
        filter_criteria="orgIdentifier=1234567893",
        endpoint=endpoint.url,
    )
    _withdraw_event(pended_case, provider_user)
    notifications_fan_out()
    assert list(
        Notification.objects.filter(kind="event-notification").values_list(
            "subscription", flat=True
        )
    ) == [mine.pk]
    assert not Notification.objects.filter(subscription=theirs).exists()


@pytest.mark.django_db
def test_a_client_cannot_subscribe_for_another_organisation(pas_client, endpoint, outsider):
    from tests.factories import ProviderFactory

    other = ProviderFactory(organization=outsider.provider_organization)
    response = post(pas_client, "/fhir/Subscription", subscription_body(endpoint.url, other.npi))
    assert response.status_code == 422
    assert response.json()["issue"][0]["code"] == "forbidden"
    assert not Subscription.objects.exists()


@pytest.mark.django_db
def test_another_organisations_subscription_is_not_found(subscribe, outsider_pas_client):
    subscription = subscribe()
    for path in (
        f"/fhir/Subscription/{subscription.pk}",
        f"/fhir/Subscription/{subscription.pk}/$status",
    ):
        response = outsider_pas_client.get(path)
        assert response.status_code == 404
        assert response.json()["resourceType"] == "OperationOutcome"
    assert outsider_pas_client.delete(f"/fhir/Subscription/{subscription.pk}").status_code == 404
    assert outsider_pas_client.get("/fhir/Subscription").json()["total"] == 0
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.ACTIVE


@pytest.mark.django_db
def test_read_status_and_delete(subscribe, pas_client):
    subscription = subscribe()
    assert pas_client.get(f"/fhir/Subscription/{subscription.pk}").json()["status"] == "active"
    status = pas_client.get(f"/fhir/Subscription/{subscription.pk}/$status").json()
    assert notification_type(status) == "query-status"
    assert pas_client.get("/fhir/Subscription").json()["total"] == 1
    assert pas_client.delete(f"/fhir/Subscription/{subscription.pk}").status_code == 204
    assert pas_client.get(f"/fhir/Subscription/{subscription.pk}").status_code == 404
    assert Subscription.objects.get().status == Subscription.Status.OFF


@pytest.mark.django_db
def test_a_quiet_subscription_gets_a_heartbeat(
    subscribe, endpoint, django_capture_on_commit_callbacks
):
    subscription = subscribe(
        channel={
            **subscription_body(endpoint.url, "x")["channel"],
            "extension": [
                {
                    "url": "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-heartbeat-period",
                    "valueUnsignedInt": 60,
                }
            ],
        }
    )
    assert heartbeats_queue() == []  # the handshake was just sent
    Subscription.objects.filter(pk=subscription.pk).update(
        last_sent_at=timezone.now() - timedelta(seconds=61)
    )
    assert len(heartbeats_queue()) == 1
    assert endpoint.kinds() == ["handshake", "heartbeat"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change, code",
    [
        ({"criteria": "http://example.org/SubscriptionTopic/other"}, "not-supported"),
        ({"_criteria": {"extension": []}}, "required"),
        ({"channel": {"type": "websocket", "payload": "application/fhir+json"}}, "not-supported"),
        (
            {
                "channel": {
                    "type": "rest-hook",
                    "endpoint": "ftp://x",
                    "payload": "application/fhir+json",
                }
            },
            "invalid",
        ),
        ({"end": "yesterday"}, "structure"),
    ],
)
def test_a_bad_subscription_is_refused_and_nothing_written(
    pas_client, endpoint, org_provider, change, code
):
    body = subscription_body(endpoint.url, org_provider.npi)
    body.update(change)
    response = post(pas_client, "/fhir/Subscription", body)
    assert response.status_code in (400, 422)
    assert response.json()["resourceType"] == "OperationOutcome"
    assert code in [issue["code"] for issue in response.json()["issue"]]
    assert not Subscription.objects.exists() and not Notification.objects.exists()
    assert endpoint.received == []


@pytest.mark.django_db
def test_the_capability_statement_lists_subscription(client):
    statement = client.get("/fhir/metadata", HTTP_ACCEPT=FHIR_JSON).json()
    types = [r["type"] for r in statement["rest"][0]["resource"]]
    assert types[:2] == ["Claim", "Subscription"]  # then the Patient Access resources
    subscription = statement["rest"][0]["resource"][1]
    assert [i["code"] for i in subscription["interaction"]] == [
        "create",
        "read",
        "search-type",
        "delete",
    ]
    assert subscription["operation"][0]["name"] == "status"
    json.dumps(statement)


@pytest.mark.django_db
def test_a_manager_sees_the_dead_letters_and_sends_one_again(
    client, subscribe, endpoint, settings, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from tests.factories import UserFactory
    from um_portal.accounts.roles import Role

    settings.SUBSCRIPTION_MAX_ATTEMPTS = 1
    endpoint.status = 500
    subscribe()
    dead = Notification.objects.get(status=Notification.Status.DEAD)
    manager = UserFactory(username="um-manager", roles=[Role.MANAGER], is_staff=True)
    client.force_login(manager)
    url = reverse("admin:subscriptions_notification_changelist")
    page = client.get(url, {"status__exact": "dead"})
    assert page.status_code == 200
    assert "HTTP 500" in page.content.decode()
    endpoint.status = 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "retry", "_selected_action": [str(dead.pk)]})
    dead.refresh_from_db()
    assert dead.status == Notification.Status.DELIVERED
    assert Subscription.objects.get().status == Subscription.Status.ACTIVE


@pytest.mark.django_db
@pytest.mark.parametrize("how_many", [1, 4])
def test_listing_subscriptions_costs_the_same_however_many(
    pas_client, provider_user, how_many, django_assert_num_queries
):
    for _ in range(how_many):
        Subscription.objects.create(
            organization=provider_user.provider_organization,
            created_by=provider_user,
            status=Subscription.Status.ACTIVE,
            topic=PAS_TOPIC,
            filter_criteria="orgIdentifier=1234567893",
            endpoint="https://ehr.example.org/notify",
        )
    # 3 to authenticate the token and its user, 1 for the subscriptions.
    with django_assert_num_queries(4):
        response = pas_client.get("/fhir/Subscription")
    assert response.json()["total"] == how_many


@pytest.mark.django_db
def test_the_demo_adds_a_subscription_with_a_dead_letter_once(provider_user, org_provider):
    from subscriptions.demo import seed_subscriptions

    assert seed_subscriptions(users={"provider": provider_user}) == 1
    assert seed_subscriptions(users={"provider": provider_user}) == 0
    subscription = Subscription.objects.get()
    assert subscription.filter_criteria == f"ClaimResponse?orgIdentifier={org_provider.npi}"
    assert Notification.objects.get().status == Notification.Status.DEAD
