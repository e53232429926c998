"""Fixtures for care management: rules of each kind, cases and stays driven through the real
intake and stays services."""

import datetime as dt

import pytest
from django.utils import timezone

from caremgmt.models import ReferralRule
from caremgmt.services.referrals import referral_create_by_hand, referral_transition
from intake.models import ServiceCategory
from stays.services import stay_discharge
from tests.factories import CoverageFactory, make_case
from tests.review.conftest import (  # noqa: F401  (the review fixtures: cases in nurse review)
    _media_in_tmp,
    checklist_requirements,
    criteria_sets,
    review_case,
)
from tests.stays.conftest import admit, facility  # noqa: F401  (the stays' facility fixture)


@pytest.fixture
def rule(db):
    """rule(kind, **fields) → an active referral rule."""

    def make(kind: str, **fields) -> ReferralRule:
        fields.setdefault("name", f"{kind} rule {ReferralRule.objects.count() + 1}")
        fields.setdefault("reason", f"Because of {kind}.")
        return ReferralRule.objects.create(kind=kind, **fields)

    return make


@pytest.fixture
def case(intake_specialist):
    """case(**make_case kwargs) → a received case."""

    def make(**kwargs):
        return make_case(actor=intake_specialist, **kwargs)

    return make


@pytest.fixture
def stay_for(intake_specialist, facility):  # noqa: F811
    """stay_for(days_ago=..., coverage=...) → a stay admitted at noon that many days ago (1 or
    more: today's noon may be still to come)."""

    def make(*, days_ago: int, coverage=None, diagnoses=("I50.9",)):
        hours = (timezone.now() - days_ago_at_noon(days_ago)).total_seconds() / 3600
        return admit(
            actor=intake_specialist,
            facility=facility,
            coverage=coverage or CoverageFactory(),
            hours_ago=hours,
            diagnoses=diagnoses,
        )

    return make


def discharge(stay, *, actor, at):
    return stay_discharge(actor=actor, stay=stay, discharged_at=at, disposition="home")


def days_ago_at_noon(days: int) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


@pytest.fixture
def referral(case, nurse):
    """A referral made by hand by the nurse (status new)."""
    return referral_create_by_hand(actor=nurse, care_request=case(), reason="Lives alone.")


def move(referral, *names, actor):
    for name in names:
        referral = referral_transition(referral=referral, name=name, actor=actor)
    return referral


def imaging() -> ServiceCategory:
    return ServiceCategory.objects.get(code="imaging")
