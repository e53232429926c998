"""In-app clock warnings: the user's own list, "mark read" and "mark all read", the navigation
badge and the dashboard panel. Nobody sees, counts or marks another user's warnings."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from intake.models import CareRequest
from review.models import Notification
from review.selectors.notifications import (
    notification_page_for_user,
    notification_unread_count_for_user,
)
from review.services.notifications import notification_mark_all_read, notification_mark_read
from tests.factories import make_case
from um_portal.lib.errors import NotFound

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 9, 15, 0, tzinfo=UTC)
LIST = reverse("review:notifications")
READ_ALL = reverse("review:notifications_read_all")


def read_url(notification) -> str:
    return reverse("review:notification_read", args=[notification.pk])


@pytest.fixture
def case(intake_specialist):
    return make_case(actor=intake_specialist)


@pytest.fixture
def notify(case):
    """notify(user, kind=..., due_in_hours=..., created=..., read=...) → a Notification."""
    made = iter(range(10_000))

    def make(user, *, kind="at_risk", due_in_hours=3.0, created=None, read=False, on=None):
        on = on or case
        n = next(made)
        notification = Notification.objects.create(
            user=user,
            care_request=on,
            kind=kind,
            # Unique per deadline: nudge each by seconds so many can share a case.
            due_at=NOW + timedelta(hours=due_in_hours, seconds=n),
            message=f"Case {on.reference} warning {n}.",
            read_at=NOW - timedelta(minutes=5) if read else None,
        )
        created = created or NOW - timedelta(minutes=60 - n % 60, seconds=n)
        Notification.objects.filter(pk=notification.pk).update(created_at=created)
        notification.refresh_from_db()
        return notification

    return make


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def rows(response) -> list:
    return response.context["rows"]


# --- services ------------------------------------------------------------------------------------


def test_mark_read_marks_only_that_notification(nurse, notify):
    first, second = notify(nurse), notify(nurse)
    assert notification_mark_read(user=nurse, notification_id=first.pk) is True
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None


def test_marking_read_again_keeps_the_first_read_time(nurse, notify):
    notification = notify(nurse, read=True)
    when = notification.read_at
    assert notification_mark_read(user=nurse, notification_id=notification.pk) is False
    notification.refresh_from_db()
    assert notification.read_at == when


def test_another_users_notification_is_not_found_and_stays_unread(nurse, director, notify):
    theirs = notify(director)
    with pytest.raises(NotFound):
        notification_mark_read(user=nurse, notification_id=theirs.pk)
    with pytest.raises(NotFound):
        notification_mark_read(user=nurse, notification_id=uuid.uuid4())
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_marks_only_the_users_own_unread(nurse, director, notify):
    mine = [notify(nurse), notify(nurse), notify(nurse, read=True)]
    theirs = notify(director)
    assert notification_mark_all_read(user=nurse) == 2
    assert all(Notification.objects.get(pk=n.pk).read_at for n in mine)
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert notification_mark_all_read(user=nurse) == 0


def test_selectors_count_and_list_only_the_users_own(nurse, director, notify):
    old = notify(nurse, created=NOW - timedelta(hours=5))
    new = notify(nurse, created=NOW - timedelta(hours=1))
    read = notify(nurse, created=NOW - timedelta(hours=3), read=True)
    notify(director)
    assert notification_unread_count_for_user(user=nurse) == 2
    assert notification_page_for_user(user=nurse).rows == [new, read, old]
    assert notification_page_for_user(user=nurse, unread_only=True).rows == [new, old]


def test_the_page_selector_says_whether_another_page_follows(nurse, notify):
    for _ in range(5):
        notify(nurse)
    first = notification_page_for_user(user=nurse, per_page=2)
    last = notification_page_for_user(user=nurse, per_page=2, page=3)
    assert (len(first.rows), first.has_previous, first.has_next) == (2, False, True)
    assert (len(last.rows), last.has_previous, last.has_next) == (1, True, False)


# --- the list ------------------------------------------------------------------------------------


def test_the_list_shows_the_users_own_newest_first_with_case_link_and_time_left(
    client_for, nurse, director, notify, case, frozen
):
    past_due = notify(nurse, kind="breached", due_in_hours=-2, created=NOW - timedelta(minutes=10))
    at_risk = notify(nurse, due_in_hours=3, created=NOW - timedelta(hours=2), read=True)
    notify(director, created=NOW)
    response = client_for(nurse).get(LIST)
    assert response.status_code == 200
    listed = rows(response)
    assert [r.pk for r in listed] == [str(past_due.pk), str(at_risk.pk)]
    assert [(r.kind_label, r.deadline_label, r.unread) for r in listed] == [
        ("Past due", "overdue 2 h", True),
        ("At risk", "due in 3 h", False),
    ]
    html = response.content.decode()
    assert f'href="{reverse("review:case", args=[case.pk])}"' in html
    assert html.count("Mark read<") == 1
    assert "1 unread." in html


@pytest.mark.parametrize("persona", ["intake", "manager"])
def test_intake_and_managers_are_sent_to_the_intake_case_page(
    client_for, personas, persona, notify, case
):
    notify(personas[persona])
    response = client_for(personas[persona]).get(LIST)
    assert response.status_code == 200
    assert rows(response)[0].case_url == reverse("intake:case", args=[case.pk])


def test_a_director_is_sent_to_the_review_case_view(client_for, director, notify, case):
    notify(director)
    url = rows(client_for(director).get(LIST))[0].case_url
    assert url == reverse("review:case", args=[case.pk])


def test_the_list_says_when_the_case_was_extended_or_decided(
    client_for, nurse, notify, case, frozen
):
    notification = notify(nurse, due_in_hours=-1)
    CareRequest.objects.filter(pk=case.pk).update(due_at=NOW + timedelta(days=3))
    assert rows(client_for(nurse).get(LIST))[0].since == "Deadline since moved: due in 3 d."
    assert notification.due_at != NOW + timedelta(days=3)
    CareRequest.objects.filter(pk=case.pk).update(status="withdrawn")
    assert rows(client_for(nurse).get(LIST))[0].since == "Now withdrawn; the clock has stopped."


def test_unread_only_and_pages(client_for, nurse, notify):
    for _ in range(27):
        notify(nurse)
    notify(nurse, read=True)
    client = client_for(nurse)
    assert len(rows(client.get(LIST))) == 25
    second = client.get(LIST, {"page": 2})
    assert len(rows(second)) == 3
    assert second.context["prev_url"] == "?page=1"
    assert len(rows(client.get(LIST, {"show": "unread", "page": 2}))) == 2
    assert rows(client.get(LIST, {"page": "nonsense"}))  # a bad page number is page 1


@pytest.mark.parametrize(("many", "queries"), [(0, 8), (40, 9)])
def test_the_list_costs_a_fixed_number_of_queries(
    client_for, nurse, notify, many, queries, django_assert_num_queries
):
    for _ in range(many):
        notify(nurse)
    client = client_for(nurse)
    client.get(LIST)  # the first request after login writes the session differently
    # Session, user, groups; the page of notifications with their cases; the unread count
    # (badge, header and "mark all read" share it); the session save (SAVEPOINT, UPDATE,
    # RELEASE); one access-log INSERT for the page's cases when it shows any. The same for a
    # full page as for one row.
    with django_assert_num_queries(queries):
        response = client.get(LIST)
    assert len(rows(response)) == min(many, 25)


@pytest.mark.parametrize("persona", ["provider", "outsider"])
def test_providers_are_refused_every_notification_url(client_for, personas, persona, nurse, notify):
    notification = notify(nurse)
    client = client_for(personas[persona])
    assert client.get(LIST).status_code == 403
    assert client.post(READ_ALL).status_code == 403
    assert client.post(read_url(notification)).status_code == 403
    notification.refresh_from_db()
    assert notification.read_at is None


def test_the_list_needs_login(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- mark read -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["nurse", "director", "intake", "manager"])
def test_each_staff_role_marks_its_own_notification_read(client_for, personas, persona, notify):
    notification = notify(personas[persona])
    response = client_for(personas[persona]).post(
        read_url(notification), {"show": "unread", "page": "2"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?show=unread&page=2"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_another_users_notification_answers_404_and_stays_unread(
    client_for, nurse, director, notify
):
    theirs = notify(director)
    client = client_for(nurse)
    assert client.post(read_url(theirs)).status_code == 404
    assert client.post(reverse("review:notification_read", args=[uuid.uuid4()])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_is_post_only(client_for, nurse, notify):
    notification = notify(nurse)
    client = client_for(nurse)
    assert client.get(read_url(notification)).status_code == 405
    assert client.get(READ_ALL).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_read_needs_the_csrf_token(nurse, notify):
    notification = notify(nurse)
    client = Client(enforce_csrf_checks=True)
    client.force_login(nurse)
    assert client.post(read_url(notification)).status_code == 403
    assert client.post(READ_ALL).status_code == 403
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_marks_only_ones_own(client_for, nurse, director, notify):
    mine = [notify(nurse), notify(nurse)]
    theirs = notify(director)
    response = client_for(nurse).post(READ_ALL, follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    assert "2 notifications marked read." in response.content.decode()
    assert not Notification.objects.filter(pk__in=[n.pk for n in mine], read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


# --- the navigation badge and the dashboard panel ------------------------------------------------


def badge(html: str) -> str | None:
    marker = 'class="count-badge" data-unread="'
    if marker not in html:
        return None
    return html.split(marker, 1)[1].split('"', 1)[0]


@pytest.mark.parametrize(
    ("persona", "page"),
    [
        ("nurse", "review:dashboard"),
        ("director", "review:dashboard"),
        ("intake", "intake:queue"),
        ("manager", "reports:dashboard"),
    ],
)
def test_staff_navigation_links_notifications_with_the_unread_count(
    client_for, personas, persona, page, notify
):
    user = personas[persona]
    client = client_for(user)
    html = client.get(reverse(page)).content.decode()
    assert f'href="{LIST}" class="nav-notifications">Notifications</a>' in html  # no badge at 0
    notify(user)
    notify(user)
    notify(user, read=True)
    html = client.get(reverse(page)).content.decode()
    assert badge(html) == "2"


def test_providers_get_no_notifications_link(client_for, provider_user):
    html = client_for(provider_user).get(reverse("portal:home")).content.decode()
    assert "Notifications" not in html
    assert LIST not in html


def test_the_dashboard_panel_counts_unread_warnings_and_links_to_them(
    client_for, nurse, director, notify
):
    client = client_for(nurse)
    html = client.get(reverse("review:dashboard")).content.decode()
    assert 'data-unread-warnings="0"' in html
    assert "No unread warnings." in html
    for _ in range(3):
        notify(nurse)
    notify(nurse, read=True)
    notify(director)
    html = client.get(reverse("review:dashboard")).content.decode()
    assert 'data-unread-warnings="3"' in html
    assert "3 unread warnings" in html
    assert f'href="{LIST}?show=unread"' in html


def test_the_badge_and_panel_share_one_count_query(client_for, nurse, notify):
    notify(nurse)
    client = client_for(nurse)
    with CaptureQueriesContext(connection) as captured:
        html = client.get(reverse("review:dashboard")).content.decode()
    assert badge(html) == "1"
    assert 'data-unread-warnings="1"' in html
    sql = [q["sql"] for q in captured.captured_queries if "review_notification" in q["sql"]]
    assert len(sql) == 1
    assert sql[0].startswith("SELECT COUNT(*)")
