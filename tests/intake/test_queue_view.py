"""The intake work queue: what it lists, in which order, filters, pages, clocks, query count."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from intake.models import CareRequest
from intake.services.eligibility import eligibility_check_record
from intake.services.workflow import care_request_triage
from tests.factories import make_case
from tests.intake.conftest import force_status

QUEUE = reverse("intake:queue")


def set_clock(case, *, received_hours_ago: float, due_in_hours: float) -> CareRequest:
    now = timezone.now()
    CareRequest.objects.filter(pk=case.pk).update(
        received_at=now - timedelta(hours=received_hours_ago),
        due_at=now + timedelta(hours=due_in_hours),
    )
    return CareRequest.objects.get(pk=case.pk)


def listed(response) -> list[str]:
    return [row["case"].reference for row in response.context["rows"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("intake", 200),
        ("manager", 200),
        ("nurse", 403),
        ("director", 403),
        ("provider", 403),
        ("outsider", 403),
    ],
)
def test_queue_access_by_persona(client_for, personas, persona, status):
    assert client_for(personas[persona]).get(QUEUE).status_code == status


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={QUEUE}"


@pytest.mark.django_db
def test_queue_lists_intake_stages_most_urgent_first(client_for, intake_specialist, organization):
    def case(priority="standard", due=100.0):
        c = make_case(actor=intake_specialist, organization=organization, priority=priority)
        return set_clock(c, received_hours_ago=10, due_in_hours=due)

    late_standard = case(due=5)
    early_expedited = case("expedited", due=30)
    later_expedited = case("expedited", due=60)
    early_standard = case(due=-2)  # overdue: earliest due of the standard ones
    pended = force_status(case(due=50), "pending_info", pended_from="submitted")
    draft = make_case(actor=intake_specialist, organization=organization, submit=False)
    in_review = force_status(case(due=1), "nurse_review")
    closed = force_status(case(due=1), "withdrawn")

    response = client_for(intake_specialist).get(QUEUE)

    assert listed(response) == [
        early_expedited.reference,
        later_expedited.reference,
        early_standard.reference,
        late_standard.reference,
        pended.reference,
    ]
    for hidden in (draft, in_review, closed):
        assert hidden.reference not in response.content.decode()


@pytest.mark.django_db
def test_queue_row_shows_member_services_priority_channel_and_clock(
    client_for, intake_specialist, organization, imaging_checklist
):
    case = make_case(
        actor=intake_specialist, organization=organization, priority="expedited", channel="phone"
    )
    case = set_clock(case, received_hours_ago=10, due_in_hours=5.5)
    html = client_for(intake_specialist).get(QUEUE).content.decode()
    assert case.member.full_name in html
    assert "CPT 72148" in html
    assert '<span class="badge expedited">Expedited</span>' in html
    assert "<td>Phone</td>" in html
    assert '<span class="badge missing">1 missing</span>' in html
    assert '<span class="badge elig-unverified">Not yet verified</span>' in html
    assert ">due in 5 h</span>" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("received_hours_ago", "due_in_hours", "label", "state"),
    [
        (10, 100.5, "due in 4 d 4 h", "ok"),
        (150, 5.5, "due in 5 h", "at-risk"),
        (170, -2.2, "overdue 2 h", "overdue"),
    ],
)
def test_queue_shows_time_left_with_its_colour(
    client_for, intake_specialist, received_case, received_hours_ago, due_in_hours, label, state
):
    set_clock(received_case, received_hours_ago=received_hours_ago, due_in_hours=due_in_hours)
    html = client_for(intake_specialist).get(QUEUE).content.decode()
    assert f'<span class="clock {state}"' in html
    assert f">{label}</span>" in html


@pytest.mark.django_db
def test_queue_shows_complete_checklist_and_verified_eligibility(
    client_for, intake_specialist, received_case
):
    eligibility_check_record(care_request=received_case, actor=intake_specialist)
    html = client_for(intake_specialist).get(QUEUE).content.decode()
    assert '<span class="badge ok">Complete</span>' in html
    assert '<span class="badge elig-verified">Verified</span>' in html


@pytest.mark.django_db
def test_filters_come_from_the_url(client_for, intake_specialist, organization):
    fax = make_case(actor=intake_specialist, organization=organization, channel="fax")
    phone = make_case(actor=intake_specialist, organization=organization, channel="phone")
    urgent = make_case(
        actor=intake_specialist, organization=organization, channel="phone", priority="expedited"
    )
    pended = force_status(
        make_case(actor=intake_specialist, organization=organization),
        "pending_info",
        pended_from="submitted",
    )
    client = client_for(intake_specialist)

    assert sorted(listed(client.get(QUEUE, {"channel": "phone"}))) == sorted(
        [phone.reference, urgent.reference]
    )
    assert listed(client.get(QUEUE, {"channel": "phone", "priority": "expedited"})) == [
        urgent.reference
    ]
    assert listed(client.get(QUEUE, {"status": "pending_info"})) == [pended.reference]
    assert fax.reference in listed(client.get(QUEUE, {"status": "submitted"}))


@pytest.mark.django_db
def test_unknown_filter_value_is_a_400_with_the_unfiltered_queue(
    client_for, intake_specialist, received_case
):
    response = client_for(intake_specialist).get(QUEUE, {"status": "denied"})
    assert response.status_code == 400
    assert response.context["filters"].errors == {
        "status": ["Select a valid choice. denied is not one of the available choices."]
    }
    assert listed(response) == [received_case.reference]


@pytest.mark.django_db
def test_queue_is_paged_and_pages_keep_the_filters(client_for, intake_specialist, organization):
    for _ in range(27):
        make_case(actor=intake_specialist, organization=organization, channel="mail")
    make_case(actor=intake_specialist, organization=organization, channel="fax")
    client = client_for(intake_specialist)

    first = client.get(QUEUE, {"channel": "mail"})
    assert len(first.context["rows"]) == 25
    assert first.context["page"].paginator.count == 27
    assert 'href="?channel=mail&amp;page=2"' in first.content.decode()
    second = client.get(QUEUE, {"channel": "mail", "page": 2})
    assert len(second.context["rows"]) == 2
    assert set(listed(first)).isdisjoint(listed(second))


@pytest.mark.django_db
def test_queue_page_costs_a_fixed_number_of_queries(
    client_for, intake_specialist, organization, imaging_checklist, django_assert_num_queries
):
    client = client_for(intake_specialist)
    for _ in range(3):
        make_case(actor=intake_specialist, organization=organization, lines=2)
    # Session, user, the user's roles; count, the page of cases with member, plan and missing
    # documents, their service lines; the access-log rows of the cases shown (one INSERT); the
    # navigation's unread-notification count; the idle-timeout session save
    # (SESSION_SAVE_EVERY_REQUEST) in a savepoint: 3 queries.
    with django_assert_num_queries(11):
        client.get(QUEUE)
    for _ in range(30):
        make_case(actor=intake_specialist, organization=organization, lines=3)
    with django_assert_num_queries(11):
        response = client.get(QUEUE)
    assert len(response.context["rows"]) == 25


@pytest.mark.django_db
def test_triaged_case_leaves_the_queue(client_for, intake_specialist, received_case):
    eligibility_check_record(care_request=received_case, actor=intake_specialist)
    care_request_triage(care_request=received_case, actor=intake_specialist)
    assert listed(client_for(intake_specialist).get(QUEUE)) == []
