"""The "My Care Requests" dashboard: who sees it, what it lists, filters, tiles, query budget."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from intake.models import CareRequest, ChecklistItem, Queue
from review.models import Notification, ReviewerProfile
from review.selectors.dashboard import DashboardFilters, care_request_page_for_reviewer
from review.services.nurse_review import care_request_nurse_request_info
from tests.review.routing_support import make_queue

pytestmark = pytest.mark.django_db

# Session, user, groups; the queue choices; the list count, the page and its service lines; the
# tiles-and-charts aggregate; the reviewer profile ("get next case" counts what waits in its
# queues, one more query when there is a profile); the unread-notification count (the navigation
# badge and the warnings panel share it); the open appeals for the appeals panel (one query; its
# lines and documents only when there are appeals); the access-log rows of the cases listed (one
# INSERT); the session save (an UPDATE between a
# SAVEPOINT and its RELEASE). The same for 5 rows or 50, for 10 cases or 100,000, for no
# notifications or many.
DASHBOARD_QUERIES = 15
DASHBOARD_QUERIES_WITH_PROFILE = 16
URL = "/review/"


def listed(response) -> list[str]:
    return re.findall(r'<tr data-case="([0-9a-f-]+)"', response.content.decode())


def shift_clock(case, *, received_hours_ago: float, due_in_hours: float) -> None:
    now = timezone.now()
    CareRequest.objects.filter(pk=case.pk).update(
        received_at=now - timedelta(hours=received_hours_ago),
        due_at=now + timedelta(hours=due_in_hours),
    )


@pytest.mark.parametrize("rows", [5, 50])
def test_dashboard_query_count_does_not_grow_with_rows(
    client_for, review_case, nurse, django_assert_num_queries, rows
):
    for i in range(rows):
        review_case(assign_to=nurse, lines=1 + i % 3)
    client = client_for(nurse)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(URL, {"per_page": 50})
    assert response.status_code == 200
    assert len(listed(response)) == rows


@pytest.mark.parametrize("notifications", [0, 60])
def test_dashboard_query_count_does_not_grow_with_notifications(
    client_for, review_case, nurse, django_assert_num_queries, notifications
):
    case = review_case(assign_to=nurse)
    for i in range(notifications):
        Notification.objects.create(
            user=nurse,
            care_request=case,
            kind="at_risk" if i % 2 else "breached",
            due_at=case.due_at + timedelta(minutes=i),
            message="m",
        )
    client = client_for(nurse)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(URL)
    assert f'data-unread-warnings="{notifications}"' in response.content.decode()


@pytest.mark.parametrize("persona", ["intake", "manager", "provider", "outsider"])
def test_dashboard_is_refused_to_other_roles(client_for, personas, persona):
    response = client_for(personas[persona]).get(URL)
    assert response.status_code == 403


def test_dashboard_needs_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_nurse_sees_her_nurse_review_cases_by_default(client_for, review_case, nurse, personas):
    mine = review_case(assign_to=nurse)
    review_case()  # unassigned
    other_nurse = personas["intake"].__class__.objects.create(username="nurse-b")
    review_case(assign_to=other_nurse)
    response = client_for(nurse).get(URL)
    assert listed(response) == [str(mine.pk)]


def test_director_sees_director_review_by_default(
    client_for, md_review_case, review_case, director
):
    review_case(assign_to=director)  # a nurse-review case: not the director's default view
    response = client_for(director).get(URL)
    assert listed(response) == [str(md_review_case.pk)]


def test_scope_all_and_my_queues(client_for, review_case, nurse):
    queue = Queue.objects.create(code="imaging", name="Imaging")
    other = Queue.objects.create(code="surgery", name="Surgery")
    ReviewerProfile.objects.create(user=nurse).queues.add(queue)
    in_my_queue = review_case()
    in_other = review_case()
    CareRequest.objects.filter(pk=in_my_queue.pk).update(queue=queue)
    CareRequest.objects.filter(pk=in_other.pk).update(queue=other)
    client = client_for(nurse)
    assert listed(client.get(URL, {"scope": "queues"})) == [str(in_my_queue.pk)]
    assert sorted(listed(client.get(URL, {"scope": "all"}))) == sorted(
        [str(in_my_queue.pk), str(in_other.pk)]
    )
    assert listed(client.get(URL, {"scope": "all", "queue": other.pk})) == [str(in_other.pk)]


def test_filters_priority_due_window_and_status(client_for, review_case, nurse):
    expedited = review_case(assign_to=nurse, priority="expedited")
    overdue = review_case(assign_to=nurse)
    shift_clock(overdue, received_hours_ago=200, due_in_hours=-3)
    pended = review_case(assign_to=nurse)
    care_request_nurse_request_info(
        care_request=pended,
        nurse=nurse,
        description="Notes please.",
        due_by=timezone.now() + timedelta(days=1),
    )
    client = client_for(nurse)
    assert listed(client.get(URL, {"priority": "expedited"})) == [str(expedited.pk)]
    assert listed(client.get(URL, {"due": "overdue"})) == [str(overdue.pk)]
    assert listed(client.get(URL, {"status": "pending_info"})) == [str(pended.pk)]
    assert len(listed(client.get(URL, {"status": "open"}))) == 3
    assert listed(client.get(URL, {"request_type": "retrospective"})) == []


def test_sorting_by_time_left_both_ways(client_for, review_case, nurse):
    cases = [review_case(assign_to=nurse) for _ in range(3)]
    for hours, case in zip((50, 5, 20), cases, strict=True):
        shift_clock(case, received_hours_ago=10, due_in_hours=hours)
    client = client_for(nurse)
    by_due = [str(c.pk) for c in (cases[1], cases[2], cases[0])]
    assert listed(client.get(URL, {"sort": "due"})) == by_due
    assert listed(client.get(URL, {"sort": "-due"})) == by_due[::-1]


def test_paging_keeps_the_filters_in_the_links(client_for, review_case, nurse):
    for _ in range(27):
        review_case(assign_to=nurse)
    client = client_for(nurse)
    first = client.get(URL, {"priority": "standard"})
    assert len(listed(first)) == 25
    body = first.content.decode()
    assert 'href="?status=nurse_review&amp;priority=standard&amp;page=2"' in body
    second = client.get(URL, {"priority": "standard", "page": 2})
    assert len(listed(second)) == 2
    assert not set(listed(first)) & set(listed(second))


def test_bad_filter_values_fall_back_to_defaults(client_for, review_case, nurse):
    case = review_case(assign_to=nurse)
    response = client_for(nurse).get(
        URL, {"status": "nope", "queue": "x", "page": "-4", "per_page": "7", "sort": "evil"}
    )
    assert response.status_code == 200
    assert listed(response) == [str(case.pk)]


def test_htmx_request_gets_the_list_alone(client_for, review_case, nurse):
    case = review_case(assign_to=nurse)
    response = client_for(nurse).get(URL, {"scope": "all"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="case-list"')
    assert "<html" not in body
    assert listed(response) == [str(case.pk)]
    assert "HX-Request" in response["Vary"]


def test_filter_form_is_a_bookmarkable_get_form_with_htmx(client_for, nurse):
    body = client_for(nurse).get(URL).content.decode()
    assert 'method="get"' in body
    assert 'hx-push-url="true"' in body
    assert 'hx-target="#case-list"' in body


def test_list_columns(client_for, review_case, nurse):
    case = review_case(assign_to=nurse, lines=2, code="72148")
    line = case.service_lines.first()
    line.decision = "approved"
    line.save()
    ChecklistItem.objects.filter(care_request=case).update(document=None)  # both missing
    shift_clock(case, received_hours_ago=10, due_in_hours=5.5)
    body = client_for(nurse).get(URL).content.decode()
    row = body[body.index(f'data-case="{case.pk}"') :]
    row = row[: row.index("</tr>")]
    assert case.member.last_name in row
    assert "due in 5 h" in row
    assert "1 / 2" in row
    assert "2 missing" in row
    assert row.count('<span class="code">72148</span>') == 2
    assert nurse.display_name in row


def test_tiles_count_my_open_cases(client_for, review_case, nurse):
    ok = review_case(assign_to=nurse)
    shift_clock(ok, received_hours_ago=2, due_in_hours=160)
    at_risk = review_case(assign_to=nurse)
    shift_clock(at_risk, received_hours_ago=150, due_in_hours=18)  # 18/168 < 25 % left
    overdue = review_case(assign_to=nurse)
    shift_clock(overdue, received_hours_ago=170, due_in_hours=-2)
    pended = review_case(assign_to=nurse)
    shift_clock(pended, received_hours_ago=2, due_in_hours=160)
    care_request_nurse_request_info(
        care_request=pended,
        nurse=nurse,
        description="Notes please.",
        due_by=timezone.now() + timedelta(days=1),
    )
    review_case()  # not mine
    body = client_for(nurse).get(URL).content.decode()
    tiles = dict(re.findall(r'data-tile="(\w+)">(\d+)<', body))
    assert tiles == {
        "open": "4",
        "due_today": tiles["due_today"],  # depends on the wall clock; checked below
        "at_risk": "1",
        "overdue": "1",
        "pending_info": "1",
    }
    assert tiles["due_today"] in ("0", "1")


def test_charts_are_svg_with_a_table_fallback(client_for, review_case, nurse):
    review_case(assign_to=nurse)
    body = client_for(nurse).get(URL).content.decode()
    assert body.count('<svg role="img"') == 2
    assert "<desc" in body
    assert "Nurse review: 1" in body
    assert "Show as a table" in body


def test_selector_counts_come_from_annotations(review_case, nurse):
    review_case(assign_to=nurse, lines=3)
    page = care_request_page_for_reviewer(user=nurse, filters=DashboardFilters(status="open"))
    [row] = page.object_list
    assert (row.lines_total, row.lines_decided, row.missing_documents) == (3, 0, 0)


@pytest.mark.parametrize("waiting", [1, 6])
def test_get_next_case_shows_how_many_wait_in_the_nurses_queues(
    client_for, review_case, nurse, django_assert_num_queries, waiting
):

    queue = make_queue("imaging", categories=("imaging",))
    ReviewerProfile.objects.create(user=nurse, licensed_states=["NY"]).queues.add(queue)
    for _ in range(waiting):
        review_case()  # triage routes it to the imaging queue, unassigned
    review_case(assign_to=nurse)  # hers already: not waiting
    client = client_for(nurse)
    with django_assert_num_queries(DASHBOARD_QUERIES_WITH_PROFILE):
        response = client.get(URL)
    body = response.content.decode()
    assert f'data-waiting="{waiting}"' in body
    assert f"{waiting} case{'s' if waiting > 1 else ''} waiting in your queues" in body


def test_tiles_are_links_that_filter_the_list(client_for, review_case, nurse):
    mine_overdue = review_case(assign_to=nurse)
    mine_later = review_case(assign_to=nurse)
    shift_clock(mine_overdue, received_hours_ago=100, due_in_hours=-2)
    shift_clock(mine_later, received_hours_ago=1, due_in_hours=200)
    client = client_for(nurse)
    body = client.get(URL).content.decode()
    links = dict(re.findall(r'<a href="([^"]+)"><span class="n" data-tile="(\w+)"', body))
    by_tile = {tile: href.replace("&amp;", "&") for href, tile in links.items()}
    assert set(by_tile) == {"open", "due_today", "at_risk", "overdue", "pending_info"}
    assert listed(client.get(URL + by_tile["overdue"])) == [str(mine_overdue.pk)]
    assert sorted(listed(client.get(URL + by_tile["open"]))) == sorted(
        [str(mine_overdue.pk), str(mine_later.pk)]
    )
    assert listed(client.get(URL + by_tile["pending_info"])) == []


def test_services_column_names_each_service_next_to_its_code(client_for, review_case, nurse):
    case = review_case(assign_to=nurse, lines=2)
    case.service_lines.filter(sequence=1).update(description="Lumbar MRI")
    case.service_lines.filter(sequence=2).update(description="")
    body = client_for(nurse).get(URL).content.decode()
    assert '<span class="code">72148</span> Lumbar MRI' in body
    # An undescribed line shows the catalogue's words (the code search's), never the bare code.
    assert '<span class="code">72148</span> MRI of the lower back' in body
