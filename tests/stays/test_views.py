"""Stays pages: who may open them, what they show, what they cost in queries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from intake.models import CareRequest
from stays.models import LevelOfCareSegment, Stay
from tests.factories import CoverageFactory
from tests.stays.conftest import admit, approve_days
from um_portal.audit.models import AccessLog


@pytest.fixture
def stays(intake_specialist, facility):
    return [admit(actor=intake_specialist, facility=facility, hours_ago=30 + i) for i in range(3)]


def _ids(response, table: str) -> str:
    return response.content.decode().split(f'id="{table}"')[1].split("</table>")[0]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["provider", "outsider"])
def test_staff_pages_refuse_providers(client_for, personas, stays, persona):
    client = client_for(personas[persona])
    for url in (
        reverse("stays:worklist"),
        reverse("stays:report"),
        reverse("stays:stay", args=[stays[0].pk]),
        reverse("stays:admission_new"),
    ):
        assert client.get(url).status_code == 403, url


@pytest.mark.django_db
def test_pages_need_login(client, stays):
    for url in (reverse("stays:worklist"), reverse("stays:stay", args=[stays[0].pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_worklist_orders_by_next_review_date(client_for, nurse, stays):
    # The first stay's review was decided, with its next review in 3 days; the others are under
    # review today.
    first = stays[0].reviews.get().care_request
    approve_days(first)
    stays[0].reviews.update(next_review_date=timezone.localdate() + dt.timedelta(days=3))
    response = client_for(nurse).get(reverse("stays:worklist"))
    table = _ids(response, "concurrent-worklist")
    positions = [table.index(str(s.pk)) for s in stays]
    assert positions[0] == max(positions)


@pytest.mark.django_db
def test_worklist_costs_the_same_for_one_or_many_stays(
    client_for, nurse, intake_specialist, facility, django_assert_num_queries, stays
):
    client = client_for(nurse)
    client.get(reverse("stays:worklist"))
    # session, user, groups (role check), stays, segments, reviews with their cases, service
    # lines, GMLOS table, criteria sets (none here, so no criteria query), the access-log INSERT
    # (one for all rows), notification badge, and the idle-timeout session save (savepoint,
    # update, release)
    with django_assert_num_queries(14) as few:
        client.get(reverse("stays:worklist"))
    admit(actor=intake_specialist, facility=facility, coverage=CoverageFactory(), hours_ago=50)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("stays:worklist"))


@pytest.mark.django_db
def test_stay_page_shows_days_and_logs_the_read(
    client_for, nurse, stays, django_assert_num_queries
):
    stay = stays[0]
    approve_days(stay.reviews.get().care_request, 2)
    client = client_for(nurse)
    client.get(reverse("stays:stay", args=[stay.pk]))
    # session, user, groups, stay, segments, reviews, service lines, GMLOS table, access log,
    # planning notes, notification badge, session save (3)
    with django_assert_num_queries(14):
        response = client.get(reverse("stays:stay", args=[stay.pk]))
    text = response.content.decode()
    assert "3 requested · 2 approved · 1 denied · 0 pending · 2 used · 0 remaining" in text
    assert AccessLog.objects.filter(user=nurse, action="view_stay").count() == 2


@pytest.mark.django_db
def test_level_change_and_discharge_are_recorded_with_dates(client_for, nurse, stays):
    stay = stays[0]
    client = client_for(nurse)
    today = timezone.localdate()
    response = client.post(
        reverse("stays:level", args=[stay.pk]),
        {"level_of_care": "snf", "starts_on": today.isoformat(), "note": "Step down"},
    )
    assert response.status_code == 302
    stay.refresh_from_db()
    assert stay.level_of_care == "snf"
    assert list(
        LevelOfCareSegment.objects.filter(stay=stay).values_list("level_of_care", "starts_on")
    ) == [("acute", timezone.localdate(stay.admitted_at)), ("snf", today)]
    at = timezone.localtime() - dt.timedelta(hours=1)
    response = client.post(
        reverse("stays:discharge", args=[stay.pk]),
        {"discharged_at": at.strftime("%Y-%m-%dT%H:%M"), "disposition": "snf"},
    )
    assert response.status_code == 302
    stay.refresh_from_db()
    assert (stay.status, stay.disposition) == ("discharged", "snf")


@pytest.mark.django_db
def test_intake_records_an_admission_by_phone(client_for, intake_specialist, facility):
    coverage = CoverageFactory()
    response = client_for(intake_specialist).post(
        reverse("stays:admission_new"),
        {
            "member_id": coverage.member_number,
            "member_birth_date": coverage.member.birth_date.isoformat(),
            "facility_npi": facility.npi,
            "admission_type": "emergency",
            "level_of_care": "icu",
            "admitted_at": (timezone.localtime() - dt.timedelta(hours=5)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "diagnoses": "A41.9, N17.9",
            "requested_days": "2",
            "channel": "phone",
        },
    )
    stay = Stay.objects.get()
    assert response["Location"] == reverse("stays:stay", args=[stay.pk])
    case = stay.reviews.get().care_request
    assert (case.channel, case.request_type, case.service_lines.get().code) == (
        "phone",
        "concurrent",
        "0200",
    )


@pytest.mark.django_db
def test_portal_admission_notification_opens_a_case_the_facility_sees(
    client_for, provider_user, facility
):
    coverage = CoverageFactory()
    response = client_for(provider_user).post(
        reverse("stays:portal_admission_new"),
        {
            "member_id": coverage.member_number,
            "member_birth_date": coverage.member.birth_date.isoformat(),
            "facility_npi": facility.npi,
            "admission_type": "urgent",
            "level_of_care": "acute",
            "admitted_at": (timezone.localtime() - dt.timedelta(hours=5)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "diagnoses": "I50.9",
            "requested_days": "3",
        },
    )
    case = CareRequest.objects.get()
    assert response["Location"] == reverse("portal:case", args=[case.pk])
    assert (case.channel, case.request_type) == ("portal", "concurrent")
    assert client_for(provider_user).get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_report_counts_census_days_and_readmissions(
    client_for, manager, intake_specialist, facility
):
    coverage = CoverageFactory()
    first = admit(actor=intake_specialist, facility=facility, coverage=coverage, hours_ago=24 * 8)
    approve_days(first.reviews.get().care_request, 2)
    Stay.objects.filter(pk=first.pk).update(
        status="discharged", discharged_at=timezone.now() - dt.timedelta(days=4), disposition="home"
    )
    admit(actor=intake_specialist, facility=facility, coverage=coverage, hours_ago=24)
    response = client_for(manager).get(reverse("stays:report"))
    (row,) = response.context["rows"]
    assert (row.in_house, row.discharged, row.readmissions) == (1, 1, 1)
    assert (row.days_requested, row.days_approved, row.los_total) == (6, 2, 4)
    # The first stay used 4 days, 2 of them approved, the third asked day denied and used.
    assert row.avoidable_days == 1
    assert row.expected_alos == Decimal("3.8")
