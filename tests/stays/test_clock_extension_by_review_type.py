"""The documented clock extension differs by kind of review: prospective up to 14 days while
pending information (tests/review/test_clocks.py), retrospective the post-service extension of
its line of business (commercial and QHP one 15-day extension, 29 CFR 2560.503-1(f)(2)(iii)(B);
Medicare Advantage payment and Medicaid none) before the period ends, concurrent none."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from intake.models import CareRequest, LineOfBusiness
from review.selectors.clock import CONCURRENT_REFUSAL
from review.services.clocks import NO_EXTENSION, care_request_extend
from tests.stays.conftest import admit, retro
from um_portal.audit.models import AuditEvent
from um_portal.lib.errors import InvalidTransition, NotPermitted, ValidationFailed

LOB = LineOfBusiness
pytestmark = pytest.mark.django_db


def written(case) -> tuple:
    fresh = CareRequest.objects.get(pk=case.pk)
    return (
        fresh.due_at,
        fresh.original_due_at,
        fresh.extension_reason,
        AuditEvent.objects.filter(action="clock.extended", case_id=case.pk).count(),
    )


@pytest.mark.parametrize("lob", [LOB.COMMERCIAL, LOB.EXCHANGE])
def test_a_post_service_clock_extends_once_by_up_to_15_days_without_a_pend(
    intake_specialist, nurse, lob
):
    case = retro(intake_specialist, lob)
    assert case.status != "pending_info"  # unlike a prospective case, no pend is needed
    original = case.due_at
    extended = care_request_extend(
        case=case, actor=nurse, days=15, reason="Matters beyond the plan's control: records."
    )
    assert (extended.due_at, extended.original_due_at) == (
        original + dt.timedelta(days=15),
        original,
    )
    event = AuditEvent.objects.get(action="clock.extended", case_id=case.pk)
    assert (event.actor_id, event.data["days"], event.data["max_days"]) == (nurse.pk, 15, 15)
    assert event.data["request_type"] == "retrospective"
    assert "2560.503-1(f)(2)(iii)(B)" in event.data["source"]
    with pytest.raises(InvalidTransition, match="extended once"):
        care_request_extend(case=extended, actor=nurse, days=1, reason="Again")


def test_a_post_service_extension_longer_than_15_days_is_refused(intake_specialist, nurse):
    case = retro(intake_specialist, LOB.COMMERCIAL)
    before = written(case)
    with pytest.raises(ValidationFailed) as exc:
        care_request_extend(case=case, actor=nurse, days=16, reason="Records")
    assert exc.value.field_errors == {"days": ["Choose between 1 and 15 days."]}
    assert written(case) == before


@pytest.mark.parametrize("lob", [LOB.MEDICARE_ADVANTAGE, LOB.MEDICAID, LOB.CHIP])
def test_a_post_service_clock_without_an_extension_in_its_row_is_not_extended(
    intake_specialist, nurse, lob
):
    case = retro(intake_specialist, lob)
    before = written(case)
    with pytest.raises(InvalidTransition) as exc:
        care_request_extend(case=case, actor=nurse, days=5, reason="Records")
    assert exc.value.message == NO_EXTENSION
    assert written(case) == before


def test_a_post_service_extension_comes_before_the_period_ends(intake_specialist, nurse):
    case = retro(intake_specialist, LOB.COMMERCIAL)
    CareRequest.objects.filter(pk=case.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    before = written(case)
    with pytest.raises(InvalidTransition, match="before it ends"):
        care_request_extend(case=case, actor=nurse, days=5, reason="Records")
    assert written(case) == before


def test_a_provider_cannot_extend_a_post_service_clock(intake_specialist, provider_user):
    case = retro(intake_specialist, LOB.COMMERCIAL)
    before = written(case)
    with pytest.raises(NotPermitted):
        care_request_extend(case=case, actor=provider_user, days=5, reason="Records")
    assert written(case) == before


def test_a_concurrent_clock_has_no_extension(intake_specialist, nurse, facility):
    case = admit(actor=intake_specialist, facility=facility).reviews.get().care_request
    before = written(case)
    with pytest.raises(InvalidTransition) as exc:
        care_request_extend(case=case, actor=nurse, days=1, reason="More time")
    assert exc.value.message == CONCURRENT_REFUSAL
    assert written(case) == before


def test_the_extension_page_offers_the_post_service_rules(client_for, intake_specialist, nurse):
    case = retro(intake_specialist, LOB.COMMERCIAL)
    url = reverse("review:extend_clock", args=[case.pk])
    html = client_for(nurse).get(url).content.decode()
    assert 'name="extension-days"' in html and 'max="15"' in html
    assert "Matters beyond the plan&#x27;s control need more time" in html
    assert "The member asked for more time" not in html  # a pre-service reason
    response = client_for(nurse).post(
        url,
        {
            "extension-days": "15",
            "extension-reason": "beyond_control",
            "extension-details": "The hospital's records vendor is down until next week.",
            "back": "review",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.due_at - case.original_due_at == dt.timedelta(days=15)
    assert case.extension_reason.startswith("Matters beyond the plan's control need more time: ")


def test_the_extension_page_refuses_16_post_service_days_and_writes_nothing(
    client_for, intake_specialist, nurse
):
    case = retro(intake_specialist, LOB.COMMERCIAL)
    before = written(case)
    response = client_for(nurse).post(
        reverse("review:extend_clock", args=[case.pk]),
        {
            "extension-days": "16",
            "extension-reason": "beyond_control",
            "extension-details": "Records",
        },
    )
    assert response.status_code == 400
    assert "Ensure this value is less than or equal to 15." in response.content.decode()
    assert written(case) == before


def test_the_extension_page_of_a_concurrent_case_says_why_there_is_none(
    client_for, intake_specialist, nurse, facility
):
    case = admit(actor=intake_specialist, facility=facility).reviews.get().care_request
    html = client_for(nurse).get(reverse("review:extend_clock", args=[case.pk])).content.decode()
    assert 'name="extension-days"' not in html
    assert "A concurrent review is urgent: its clock has no extension" in html
