"""Intake entry without friction: a member found by name and date of birth (phone intake rarely
has the member ID), the only coverage preselected, the receipt time of a fax or letter set to
when it really arrived, and a possible duplicate shown before anything is saved."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from intake.models import CareRequest
from tests.factories import CoverageFactory, MemberFactory, make_case
from tests.intake.test_entry_view import NEW, coverage, form_data, provider  # noqa: F401
from um_portal.audit.models import AuditEvent


@pytest.mark.django_db
def test_lookup_by_last_name_and_birth_date_finds_the_member(client_for, intake_specialist):
    member = MemberFactory(first_name="Rosa", last_name="Quintero", birth_date=date(1961, 5, 2))
    CoverageFactory(member=member, member_number="QX7781")
    MemberFactory(first_name="Rosa", last_name="Quintero", birth_date=date(1961, 5, 3))
    response = client_for(intake_specialist).get(
        NEW, {"member_number": "", "last_name": "quintero", "birth_date": "1961-05-02"}
    )
    assert response.status_code == 200
    assert response.context["member"] == member
    # The entry form carries the member ID the name lookup found.
    assert '<input type="hidden" name="member_number" value="QX7781">' in response.content.decode()


@pytest.mark.django_db
def test_a_name_shared_by_two_members_born_the_same_day_offers_both(client_for, intake_specialist):
    born = date(1950, 1, 9)
    ann = CoverageFactory(member=MemberFactory(first_name="Ann", last_name="Lee", birth_date=born))
    amy = CoverageFactory(member=MemberFactory(first_name="Amy", last_name="Lee", birth_date=born))
    client = client_for(intake_specialist)
    response = client.get(NEW, {"last_name": "Lee", "birth_date": "1950-01-09"})
    assert response.status_code == 200
    assert response.context["member"] is None
    assert response.context["matches"] == [
        (amy.member, amy.member_number),
        (ann.member, ann.member_number),
    ]
    narrowed = client.get(NEW, {"last_name": "Lee", "first_name": "an", "birth_date": "1950-01-09"})
    assert narrowed.context["member"] == ann.member


@pytest.mark.django_db
def test_lookup_needs_a_member_id_or_a_last_name(client_for, intake_specialist):
    response = client_for(intake_specialist).get(NEW, {"birth_date": "1950-01-09"})
    assert response.status_code == 400
    assert response.context["lookup"].non_field_errors() == [
        "Enter the member ID, or the member's last name."
    ]


@pytest.mark.django_db
def test_lookup_by_a_name_nobody_has(client_for, intake_specialist):
    response = client_for(intake_specialist).get(
        NEW, {"last_name": "Nobody", "birth_date": "1950-01-09"}
    )
    assert response.status_code == 400
    assert response.context["lookup"].non_field_errors() == [
        "No member has this name and date of birth."
    ]


@pytest.mark.django_db
def test_the_only_coverage_is_preselected(client_for, intake_specialist, coverage):  # noqa: F811
    client = client_for(intake_specialist)
    lookup = {"member_number": coverage.member_number, "birth_date": "1956-03-14"}
    response = client.get(NEW, lookup)
    assert response.context["form"]["coverage"].value() == coverage.pk
    assert f'value="{coverage.pk}"' in response.content.decode()
    assert "checked" in response.content.decode().split(f'value="{coverage.pk}"')[1][:40]
    CoverageFactory(member=coverage.member, plan=coverage.plan)
    assert client.get(NEW, lookup).context["form"]["coverage"].value() is None


def _receipt(hours_ago: float) -> str:
    return (timezone.localtime() - timedelta(hours=hours_ago)).strftime("%Y-%m-%dT%H:%M")


@pytest.mark.django_db
def test_a_fax_received_earlier_starts_its_clock_at_receipt_and_is_audited(
    client_for,
    intake_specialist,
    coverage,  # noqa: F811
    provider,  # noqa: F811
):
    received = _receipt(10)
    response = client_for(intake_specialist).post(
        NEW,
        form_data(coverage, provider, received_at=received, received_at_reason="Overnight fax."),
    )
    assert response.status_code == 302
    case = CareRequest.objects.get()
    assert timezone.localtime(case.received_at).strftime("%Y-%m-%dT%H:%M") == received
    assert case.due_at - case.received_at == timedelta(hours=72)
    event = AuditEvent.objects.get(action="care_request.receipt_time_set")
    assert (event.case_id, event.actor, event.data["reason"]) == (
        case.pk,
        intake_specialist,
        "Overnight fax.",
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"received_at": "FUTURE", "received_at_reason": "x"},
            "received_at",
            "The receipt time cannot be in the future.",
        ),
        (
            {"received_at": "EARLIER", "received_at_reason": ""},
            "received_at_reason",
            "Say why the receipt time is earlier than now.",
        ),
        (
            {"received_at": "EARLIER", "received_at_reason": "x", "channel": "phone"},
            "received_at",
            "Only a fax or mail request can have an earlier receipt time.",
        ),
        (
            {"received_at": "LONG_AGO", "received_at_reason": "x"},
            "received_at",
            "The receipt time is more than 30 days ago; check the date.",
        ),
    ],
)
@pytest.mark.django_db
def test_a_bad_receipt_time_is_a_field_error_and_nothing_is_saved(
    client_for,
    intake_specialist,
    coverage,  # noqa: F811
    provider,  # noqa: F811
    overrides,
    field,
    message,
):
    hours = {"FUTURE": -2, "EARLIER": 3, "LONG_AGO": 24 * 31}[overrides["received_at"]]
    overrides = {**overrides, "received_at": _receipt(hours)}
    response = client_for(intake_specialist).post(NEW, form_data(coverage, provider, **overrides))
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert CareRequest.objects.count() == 0
    assert not AuditEvent.objects.filter(action="care_request.receipt_time_set").exists()


@pytest.mark.django_db
def test_a_possible_duplicate_is_shown_before_the_case_is_saved(
    client_for,
    intake_specialist,
    coverage,  # noqa: F811
    provider,  # noqa: F811
):
    earlier = make_case(actor=intake_specialist, coverage=coverage)
    client = client_for(intake_specialist)
    data = form_data(coverage, provider)
    response = client.post(NEW, data)
    assert response.status_code == 409
    assert [line.care_request for line in response.context["duplicates"]] == [earlier]
    assert earlier.reference in response.content.decode()
    assert CareRequest.objects.count() == 1

    confirmed = client.post(NEW, {**data, "confirm_duplicate": "1"})
    assert confirmed.status_code == 302
    assert CareRequest.objects.count() == 2


@pytest.mark.django_db
def test_no_duplicate_warning_for_another_service(
    client_for,
    intake_specialist,
    coverage,  # noqa: F811
    provider,  # noqa: F811
):
    make_case(actor=intake_specialist, coverage=coverage, code="73721")
    response = client_for(intake_specialist).post(NEW, form_data(coverage, provider))
    assert response.status_code == 302
