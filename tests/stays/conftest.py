import datetime as dt

import pytest
from django.utils import timezone

from intake.models import CareRequest, LineOfBusiness, Provider
from intake.services.receipt import ServiceLineInput, care_request_create
from stays.services import AdmissionInput, stay_admit
from tests.api.conftest import api_for  # noqa: F401  (the API's client fixture)
from tests.factories import CoverageFactory, PlanFactory, ProviderFactory, category
from tests.fhir.conftest import pas_client  # noqa: F401  (the FHIR client fixture)


@pytest.fixture
def facility(organization):
    return ProviderFactory(
        organization=organization, name="Lakeside General Hospital", kind=Provider.Kind.ORGANIZATION
    )


def coverage_for(lob: str = LineOfBusiness.COMMERCIAL):
    return CoverageFactory(plan=PlanFactory(line_of_business=lob))


def admit(
    *,
    actor,
    facility,
    coverage=None,
    level="acute",
    days=3,
    hours_ago=6,
    admission_type="emergency",
    diagnoses=("I50.9",),
    channel=CareRequest.Channel.PHONE,
):
    """A stay opened through the admission-notification service."""
    return stay_admit(
        actor=actor,
        data=AdmissionInput(
            coverage=coverage or coverage_for(),
            facility=facility,
            attending=None,
            admission_type=admission_type,
            level_of_care=level,
            admitted_at=timezone.now() - dt.timedelta(hours=hours_ago),
            diagnoses=list(diagnoses),
            requested_days=days,
        ),
        channel=channel,
    )


def retro(
    actor,
    lob: str = LineOfBusiness.COMMERCIAL,
    *,
    priority: str = "standard",
    provider=None,
    days_ago: int = 20,
    claim_number: str = "CLM-2026-0001",
    description: str = "",
    channel: str = CareRequest.Channel.API,
):
    """A retrospective request received today for a lumbar MRI given `days_ago` days ago,
    with the claim it concerns (tests/stays share it: clocks, extensions, letters)."""
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    provider = provider or ProviderFactory()
    return care_request_create(
        actor=actor,
        coverage=coverage_for(lob),
        requesting_provider=provider,
        servicing_provider=provider,
        lines=[
            ServiceLineInput(
                code_system="cpt",
                code="72148",
                category=category("imaging"),
                units=1,
                start_date=day,
                end_date=day,
                description=description,
            )
        ],
        diagnoses=["M54.16"],
        channel=channel,
        priority=priority,
        request_type=CareRequest.RequestType.RETROSPECTIVE,
        review_setting="outpatient",
        claim_number=claim_number,
    )


def approve_days(care_request, days: int | None = None):
    """Record a decision on the review's days the way the determination services leave it (the
    tests of the decision itself drive the real services)."""
    line = care_request.service_lines.get()
    days = line.units if days is None else days
    line.decision = "approved" if days == line.units else "modified"
    line.approved_units = days
    line.approved_start = line.start_date
    line.approved_end = line.start_date + dt.timedelta(days=days - 1)
    line.save()
    status = "approved" if days == line.units else "partially_approved"
    CareRequest.objects.filter(pk=care_request.pk).update(status=status, decided_at=timezone.now())


@pytest.fixture
def continued_stay_criteria(db):
    """A continued-stay criteria set for acute days (revenue code 0120), as the demo seeds."""
    from review.models import CriteriaSet, Criterion

    cs = CriteriaSet.objects.create(
        slug="acute-continued-stay",
        version=2,
        name="Acute inpatient continued stay",
        code_system="revenue",
        codes=["0120"],
        summary="A further acute day is covered while the member needs care that only a "
        "hospital can give.",
    )
    Criterion.objects.create(
        criteria_set=cs,
        sequence=1,
        text="Needs IV medication, monitoring or treatment only available in an acute setting",
        plain_language="You still need treatment that only a hospital can give.",
    )
    Criterion.objects.create(
        criteria_set=cs,
        sequence=2,
        text="No safe discharge plan to a lower level of care yet",
        plain_language="You cannot yet safely go home or to a lower level of care.",
    )
    return cs


@pytest.fixture(autouse=True)
def _at_local_noon(time_machine):
    """Stay days are local calendar days: a stay admitted "6 hours ago" between midnight and
    6 a.m. began yesterday, and the day counts the tests expect would depend on the hour they
    run. Every stay test runs at today's local noon (the clock still ticks)."""
    noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    time_machine.move_to(noon, tick=True)
