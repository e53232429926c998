"""Intake verifies a coverage that came with an outside (PAS) submission: the plan, dates and
birth date become the real ones, the clock follows the real line of business from the original
receipt, eligibility is checked, and bad input changes nothing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from intake.models import CaseNote, Coverage, EligibilityCheck, LineOfBusiness
from intake.services.coverage import CoverageFacts, coverage_verify
from intake.services.receipt import turnaround_due_at
from tests.factories import CoverageFactory, MemberFactory, PlanFactory, make_case
from um_portal.audit.models import AuditEvent
from um_portal.lib.errors import InvalidTransition, ValidationFailed


@pytest.fixture
def plans(db):
    return {
        "commercial": PlanFactory(name="Guessed PPO", line_of_business=LineOfBusiness.COMMERCIAL),
        "medicare": PlanFactory(
            name="Real Medicare Advantage", line_of_business=LineOfBusiness.MEDICARE_ADVANTAGE
        ),
    }


@pytest.fixture
def unverified_case(plans, intake_specialist, organization):
    """What a PAS submission for an unknown member leaves: no birth date, a guessed plan."""
    coverage = CoverageFactory(
        member=MemberFactory(birth_date=None),
        plan=plans["commercial"],
        status=Coverage.Status.UNVERIFIED,
        effective_from=timezone.localdate(),
    )
    return make_case(actor=intake_specialist, coverage=coverage, organization=organization)


def _facts(plans, **overrides):
    values = {
        "plan": plans["medicare"],
        "effective_from": timezone.localdate() - timedelta(days=200),
        "effective_to": None,
        "birth_date": timezone.localdate().replace(year=1950),
        "how_verified": "Called enrolment, spoke to J. Rivera; active since January.",
    }
    values.update(overrides)
    return CoverageFacts(**values)


def _form(plans, **overrides):
    facts = _facts(plans, **overrides)
    return {
        "coverage-plan": facts.plan.pk,
        "coverage-effective_from": facts.effective_from.isoformat(),
        "coverage-effective_to": facts.effective_to.isoformat() if facts.effective_to else "",
        "coverage-birth_date": facts.birth_date.isoformat(),
        "coverage-how_verified": facts.how_verified,
    }


def _state(case):
    case.refresh_from_db()
    coverage = Coverage.objects.select_related("member").get(pk=case.coverage_id)
    return (
        coverage.status,
        coverage.plan_id,
        coverage.effective_from,
        coverage.member.birth_date,
        case.due_at,
        EligibilityCheck.objects.count(),
        CaseNote.objects.count(),
    )


@pytest.mark.django_db
def test_verifying_sets_the_real_coverage_and_checks_eligibility(
    unverified_case, plans, intake_specialist
):
    case = unverified_case
    check = coverage_verify(care_request=case, actor=intake_specialist, facts=_facts(plans))

    coverage = Coverage.objects.select_related("member").get(pk=case.coverage_id)
    assert coverage.status == Coverage.Status.ACTIVE
    assert coverage.plan == plans["medicare"]
    assert coverage.member.birth_date.year == 1950
    assert check.eligible is True
    case.refresh_from_db()
    assert case.eligibility_status == "verified"
    note = CaseNote.objects.get(care_request=case)
    assert note.visibility == CaseNote.Visibility.INTERNAL
    assert "Called enrolment" in note.body
    event = AuditEvent.objects.get(action="coverage.verified")
    assert event.actor == intake_specialist
    assert event.case_id == case.pk


@pytest.mark.django_db
def test_the_clock_follows_the_real_line_of_business_from_the_original_receipt(
    unverified_case, plans, intake_specialist
):
    case = unverified_case
    received = case.received_at
    guessed_due = case.due_at
    coverage_verify(care_request=case, actor=intake_specialist, facts=_facts(plans))
    case.refresh_from_db()
    expected = turnaround_due_at(
        line_of_business=LineOfBusiness.MEDICARE_ADVANTAGE,
        priority=case.priority,
        received_at=received,
    )
    assert case.due_at == expected
    assert case.due_at < guessed_due  # 7 days for Medicare Advantage against 15 commercial
    assert case.received_at == received


@pytest.mark.django_db
def test_same_line_of_business_keeps_the_due_date(unverified_case, plans, intake_specialist):
    case = unverified_case
    other_commercial = PlanFactory(line_of_business=LineOfBusiness.COMMERCIAL)
    due = case.due_at
    coverage_verify(
        care_request=case, actor=intake_specialist, facts=_facts(plans, plan=other_commercial)
    )
    case.refresh_from_db()
    assert case.due_at == due


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"effective_to": timezone.localdate() - timedelta(days=300)}, "effective_to"),
        ({"birth_date": timezone.localdate() + timedelta(days=1)}, "birth_date"),
        ({"how_verified": "ok"}, "how_verified"),
    ],
)
def test_impossible_input_is_refused_and_changes_nothing(
    overrides, field, unverified_case, plans, intake_specialist
):
    before = _state(unverified_case)
    with pytest.raises(ValidationFailed) as error:
        coverage_verify(
            care_request=unverified_case, actor=intake_specialist, facts=_facts(plans, **overrides)
        )
    assert field in error.value.field_errors
    assert _state(unverified_case) == before


@pytest.mark.django_db
def test_a_coverage_already_on_file_is_a_field_error_not_a_crash(
    unverified_case, plans, intake_specialist
):
    facts = _facts(plans)
    coverage = unverified_case.coverage
    CoverageFactory(
        plan=facts.plan, member_number=coverage.member_number, effective_from=facts.effective_from
    )
    before = _state(unverified_case)
    with pytest.raises(ValidationFailed) as error:
        coverage_verify(care_request=unverified_case, actor=intake_specialist, facts=facts)
    assert "effective_from" in error.value.field_errors
    assert _state(unverified_case) == before


@pytest.mark.django_db
def test_a_verified_coverage_cannot_be_verified_again(unverified_case, plans, intake_specialist):
    coverage_verify(care_request=unverified_case, actor=intake_specialist, facts=_facts(plans))
    with pytest.raises(InvalidTransition):
        coverage_verify(care_request=unverified_case, actor=intake_specialist, facts=_facts(plans))


# --- the case page -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_case_page_offers_the_form_only_for_unverified_coverage(
    client_for, intake_specialist, unverified_case, plans
):
    client = client_for(intake_specialist)
    url = reverse("intake:case", args=[unverified_case.pk])
    page = client.get(url).content.decode()
    assert 'id="coverage-verify"' in page
    assert "Verify eligibility" not in page

    response = client.post(
        reverse("intake:coverage_verify", args=[unverified_case.pk]), _form(plans)
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert 'id="coverage-verify"' not in page
    assert "Verify eligibility" in page
    assert "Real Medicare Advantage" in page


@pytest.mark.django_db
def test_a_bad_form_shows_the_errors_and_changes_nothing(
    client_for, intake_specialist, unverified_case, plans
):
    before = _state(unverified_case)
    response = client_for(intake_specialist).post(
        reverse("intake:coverage_verify", args=[unverified_case.pk]),
        _form(plans, effective_to=timezone.localdate() - timedelta(days=300)),
    )
    assert response.status_code == 400
    assert "The coverage cannot end before it starts." in response.content.decode()
    assert _state(unverified_case) == before


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["nurse", "director", "provider", "manager"])
def test_only_intake_may_verify(persona, personas, client_for, unverified_case, plans):
    before = _state(unverified_case)
    response = client_for(personas[persona]).post(
        reverse("intake:coverage_verify", args=[unverified_case.pk]), _form(plans)
    )
    assert response.status_code == 403
    assert _state(unverified_case) == before
