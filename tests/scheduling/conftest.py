"""Scheduling fixtures: directors in two time zones, slots, and denied cases."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from determinations.models import Determination, LineDecision
from intake.models import ChecklistItem, ServiceLine
from intake.services.eligibility import eligibility_check_record
from intake.services.transitions import care_request_transition
from scheduling.models import Slot
from tests.factories import UserFactory, make_case
from um_portal.accounts.roles import Role


def deny_case(case, *, intake, nurse, director):
    """Drive a received case to `denied` through the real transitions, with the determination
    of record a physician's denial writes (until determinations' service lands)."""
    eligibility_check_record(care_request=case, actor=intake)
    # The document checklist is intake's concern; waived here so the test needs no files.
    ChecklistItem.objects.filter(care_request=case).update(required=False)
    care_request_transition(care_request=case, name="triage", actor=intake)
    care_request_transition(care_request=case, name="refer_to_md", actor=nurse)
    care_request_transition(care_request=case, name="deny", actor=director, note="Not necessary.")
    case.service_lines.update(decision=ServiceLine.Decision.DENIED)
    determination = Determination.objects.create(
        care_request=case,
        kind=Determination.Kind.INITIAL,
        outcome=Determination.Outcome.DENIED,
        source=Determination.Source.PHYSICIAN,
        decided_by=director,
        reviewer_name=director.get_full_name(),
        reviewer_credentials=director.credentials,
        decided_at=timezone.now(),
        rationale="Six weeks of physical therapy have not been tried.",
    )
    for line in case.service_lines.all():
        LineDecision.objects.create(
            determination=determination, service_line=line, outcome=LineDecision.Outcome.DENIED
        )
    case.refresh_from_db()
    return case


@pytest.fixture
def director_la(db):
    return UserFactory(
        username="director2",
        roles=[Role.DIRECTOR],
        credentials="MD",
        first_name="Amara",
        last_name="Okafor",
        time_zone="America/Los_Angeles",
    )


@pytest.fixture
def denied_case(intake_specialist, nurse, director, organization):
    case = make_case(actor=intake_specialist, organization=organization)
    return deny_case(case, intake=intake_specialist, nurse=nurse, director=director)


@pytest.fixture
def make_slot(director):
    """A slot `hours` from now (UTC, on the hour or half hour) for `who` (default: director)."""

    def make(hours: float = 26, who=None, minutes: int = 30) -> Slot:
        base = timezone.now().astimezone(UTC).replace(second=0, microsecond=0)
        start = base.replace(minute=0) + timedelta(hours=hours)
        return Slot.objects.create(
            director=who or director, starts_at=start, ends_at=start + timedelta(minutes=minutes)
        )

    return make


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)
