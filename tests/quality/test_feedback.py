"""Provider feedback: rated once per request and organisation, only the organisation's own
decided requests, and the manager's table against hand-computed values."""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError
from django.urls import reverse

from determinations.services import determination_issue
from intake.models import ServiceCategory
from quality.models import Feedback
from quality.selectors.feedback import FeedbackRow, feedback_summary
from quality.services.feedback import feedback_submit
from tests.determinations.conftest import criteria_set, deny, make_md_case, outbox_env  # noqa: F401
from tests.factories import make_case
from um_portal.audit.models import AccessLog, AuditEvent
from um_portal.lib.errors import NotFound, ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided_case(make_md_case, director, criteria_set, outbox_env):  # noqa: F811
    """A request of the provider user's organisation, denied by the medical director."""
    case = make_md_case(lines=1)
    determination_issue(
        case=case, director=director, line_decisions=[deny(case.service_lines.get(), criteria_set)]
    )
    case.refresh_from_db()
    return case


def rate(client, case, rating="4", comment=""):
    return client.post(
        reverse("portal:feedback", args=[case.pk]),
        {"rating": rating, "comment": comment},
        follow=True,
    )


def test_a_provider_rates_a_decided_request_once(client_for, provider_user, decided_case):
    client = client_for(provider_user)
    page = client.get(reverse("portal:case", args=[decided_case.pk])).content.decode()
    assert reverse("portal:feedback", args=[decided_case.pk]) in page

    first = rate(client, decided_case, "4", "Clear letter.")
    assert "Thank you for your rating." in first.content.decode()
    feedback = Feedback.objects.get()
    assert (feedback.rating, feedback.comment, feedback.organization_id, feedback.created_by) == (
        4,
        "Clear letter.",
        provider_user.provider_organization_id,
        provider_user,
    )
    assert feedback.service_category == decided_case.service_lines.get().category
    event = AuditEvent.objects.get(action="feedback_submit")
    assert (event.case_id, event.data["rating"], "comment" in event.data) == (
        decided_case.pk,
        4,
        False,
    )

    second = rate(client, decided_case, "1", "Changed my mind.")
    assert "already rated this request" in second.content.decode()
    assert Feedback.objects.get().rating == 4
    # The page now shows the rating instead of the form.
    assert "rated this request <strong>4 out of 5</strong>" in second.content.decode()
    assert reverse("portal:feedback", args=[decided_case.pk]) not in second.content.decode()


def test_the_database_refuses_a_second_rating_of_the_same_organisation(provider_user, decided_case):
    feedback_submit(actor=provider_user, care_request=decided_case, rating=5)
    with pytest.raises(IntegrityError):
        Feedback.objects.create(
            care_request=decided_case,
            organization=provider_user.provider_organization,
            service_category=ServiceCategory.objects.first(),
            rating=1,
            created_by=provider_user,
        )


def test_another_organisations_request_is_not_found(client_for, outsider, decided_case):
    response = client_for(outsider).post(
        reverse("portal:feedback", args=[decided_case.pk]), {"rating": "1"}
    )
    assert response.status_code == 404
    assert not Feedback.objects.exists()
    with pytest.raises(NotFound):
        feedback_submit(actor=outsider, care_request=decided_case, rating=1)


def test_an_unknown_request_is_not_found(client_for, provider_user):
    url = reverse("portal:feedback", args=[uuid.uuid4()])
    assert client_for(provider_user).post(url, {"rating": "3"}).status_code == 404


@pytest.mark.parametrize("who", ["nurse", "manager", "intake"])
def test_staff_cannot_rate(client_for, personas, decided_case, who):
    response = client_for(personas[who]).post(
        reverse("portal:feedback", args=[decided_case.pk]), {"rating": "5"}
    )
    assert response.status_code == 403
    assert not Feedback.objects.exists()


def test_an_open_request_cannot_be_rated_and_shows_no_form(
    client_for, provider_user, organization, intake_specialist
):
    case = make_case(actor=intake_specialist, organization=organization, channel="portal")
    client = client_for(provider_user)
    assert (
        'id="feedback"' not in client.get(reverse("portal:case", args=[case.pk])).content.decode()
    )
    response = rate(client, case, "5")
    assert "once it is decided" in response.content.decode()
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(
    ("rating", "comment"), [("0", ""), ("6", ""), ("", ""), ("five", ""), ("3", "x" * 1001)]
)
def test_bad_input_is_refused_and_nothing_written(
    client_for, provider_user, decided_case, rating, comment
):
    response = rate(client_for(provider_user), decided_case, rating, comment)
    assert response.status_code == 200
    assert "Choose a rating from 1 to 5" in response.content.decode()
    assert not Feedback.objects.exists()


@pytest.mark.parametrize(("rating", "comment"), [(0, ""), (6, ""), ("5", ""), (3, "x" * 1001)])
def test_the_service_refuses_bad_input(provider_user, decided_case, rating, comment):
    with pytest.raises(ValidationFailed):
        feedback_submit(
            actor=provider_user, care_request=decided_case, rating=rating, comment=comment
        )
    assert not Feedback.objects.exists()


def test_a_comment_of_exactly_1000_characters_is_accepted(provider_user, decided_case):
    feedback_submit(actor=provider_user, care_request=decided_case, rating=3, comment="x" * 1000)
    assert len(Feedback.objects.get().comment) == 1000


# --- the manager's table ----------------------------------------------------------------------

NY = ZoneInfo("America/New_York")


@pytest.fixture
def ratings(settings, make_md_case, provider_user):  # noqa: F811
    """Six ratings, stored directly with chosen times (the service stamps the current time):
    imaging in March 5, 4, 4 — the last at 23:30 on 31 March in New York, already April in
    UTC; imaging in April 1; surgery in March 2, 3."""
    settings.TIME_ZONE = "America/New_York"
    imaging = ServiceCategory.objects.get(code="imaging")
    surgery = ServiceCategory.objects.get(code="surgery")
    rows = [
        (imaging, 5, dt.datetime(2026, 3, 2, 9, tzinfo=NY)),
        (imaging, 4, dt.datetime(2026, 3, 15, 9, tzinfo=NY)),
        (imaging, 4, dt.datetime(2026, 3, 31, 23, 30, tzinfo=NY)),
        (imaging, 1, dt.datetime(2026, 4, 1, 0, 30, tzinfo=NY)),
        (surgery, 2, dt.datetime(2026, 3, 10, 9, tzinfo=NY)),
        (surgery, 3, dt.datetime(2026, 3, 20, 9, tzinfo=NY)),
    ]
    for category, rating, at in rows:
        feedback = Feedback.objects.create(
            care_request=make_md_case(lines=1),
            organization=provider_user.provider_organization,
            service_category=category,
            rating=rating,
            comment=f"rated {rating}",
            created_by=provider_user,
        )
        Feedback.objects.filter(pk=feedback.pk).update(created_at=at)


def test_the_summary_by_category_and_month_matches_hand_computed_values(ratings):
    assert feedback_summary() == [
        FeedbackRow(dt.date(2026, 4, 1), "Advanced imaging", 1, 1.0, (1, 0, 0, 0, 0)),
        # (5 + 4 + 4) / 3 = 4.333…
        FeedbackRow(dt.date(2026, 3, 1), "Advanced imaging", 3, 4.33, (0, 0, 0, 2, 1)),
        FeedbackRow(dt.date(2026, 3, 1), "Outpatient surgery", 2, 2.5, (0, 1, 1, 0, 0)),
    ]


def test_the_manager_page_shows_the_table_and_logs_the_comments_cases(
    client_for, manager, ratings, django_assert_num_queries
):
    client = client_for(manager)
    client.get(reverse("quality:feedback"))  # warm the session
    # session, user, groups, the comments with their parties, the access-log insert, the
    # summary, the nav's unread-notification count, the session save (savepoint, update,
    # release): the same for any number of ratings
    # 11: the providers' and the members' tables are one grouped query each.
    with django_assert_num_queries(11):
        response = client.get(reverse("quality:feedback"))
    body = response.content.decode()
    assert body.count('<tr><th scope="row">') == 3
    assert '<td class="num">4.33</td>' in body
    assert ">2026-03<" in body and ">2026-04<" in body
    logged = AccessLog.objects.filter(user=manager, action="feedback_comments")
    assert logged.values("case_id").distinct().count() == 6


def test_the_csv_holds_the_same_numbers(client_for, manager, ratings):
    response = client_for(manager).get(reverse("quality:feedback_csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode()
    assert text.splitlines() == [
        "month,service category,ratings,average,rated 1,rated 2,rated 3,rated 4,rated 5",
        "2026-04,Advanced imaging,1,1.0,1,0,0,0,0",
        "2026-03,Advanced imaging,3,4.33,0,0,0,2,1",
        "2026-03,Outpatient surgery,2,2.5,0,1,1,0,0",
    ]


@pytest.mark.parametrize("who", ["nurse", "director", "provider"])
def test_only_the_manager_sees_feedback(client_for, personas, who):
    client = client_for(personas[who])
    assert client.get(reverse("quality:feedback")).status_code == 403
    assert client.get(reverse("quality:feedback_csv")).status_code == 403


def test_the_demo_rates_as_providers_even_after_a_member_rated(
    provider_user, outsider, decided_case
):
    from quality.demo_feedback import seed_feedback

    Feedback.objects.create(
        care_request=decided_case,
        member=decided_case.member,
        service_category=decided_case.service_lines.get().category,
        rating=5,
        created_by=provider_user,
    )
    seed_feedback(users={"provider": provider_user, "provider2": outsider}, log=lambda m: None)
    provider_rating = Feedback.objects.get(organization__isnull=False)
    assert (provider_rating.care_request, provider_rating.created_by) == (
        decided_case,
        provider_user,
    )
