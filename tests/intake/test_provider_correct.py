"""Intake records the right NPI for a provider that came with one failing the check digit
(a PAS submission keeps it as sent): the record is corrected, or the case points to the provider
already on file; a wrong NPI, another organisation's provider or a closed case changes nothing."""

import pytest
from django.urls import reverse

from intake.models import CaseNote, Provider
from intake.services.providers import case_provider_correct
from tests.factories import ProviderFactory, make_case, valid_npi
from um_portal.audit.models import AuditEvent
from um_portal.lib.errors import InvalidTransition, ValidationFailed


def _bad(npi: str) -> str:
    return npi[:9] + str((int(npi[9]) + 1) % 10)


@pytest.fixture
def case(intake_specialist, organization):
    case = make_case(actor=intake_specialist, organization=organization)
    good = case.requesting_provider.npi
    Provider.objects.filter(pk=case.requesting_provider_id).update(npi=_bad(good))
    case.refresh_from_db()
    return case


def _state(case):
    case.refresh_from_db()
    provider = Provider.objects.get(pk=case.requesting_provider_id)
    return (
        case.requesting_provider_id,
        provider.npi,
        provider.network_status,
        CaseNote.objects.count(),
    )


def _fix(case, actor, **kwargs):
    values = {
        "role": "requesting",
        "npi": valid_npi(),
        "network_status": "in",
        "how": "NPPES lookup; confirmed with the office manager.",
    }
    values.update(kwargs)
    return case_provider_correct(care_request=case, actor=actor, **values)


@pytest.mark.django_db
def test_the_record_that_came_with_the_submission_is_corrected(case, intake_specialist):
    npi = valid_npi()
    provider = _fix(case, intake_specialist, npi=npi)
    assert (provider.pk, provider.npi, provider.network_status) == (
        case.requesting_provider_id,
        npi,
        "in",
    )
    assert "NPPES lookup" in CaseNote.objects.get(care_request=case).body
    event = AuditEvent.objects.get(action="provider.corrected")
    assert (event.actor, event.data["to_npi"]) == (intake_specialist, npi)


@pytest.mark.django_db
def test_a_provider_already_on_file_under_that_npi_takes_its_place(
    case, intake_specialist, organization
):
    known = ProviderFactory(organization=organization, name="Dr. Known")
    _fix(case, intake_specialist, npi=known.npi)
    case.refresh_from_db()
    assert case.requesting_provider == known


@pytest.mark.django_db
def test_another_organisations_provider_cannot_become_the_requester(
    case, intake_specialist, other_organization
):
    theirs = ProviderFactory(organization=other_organization)
    before = _state(case)
    with pytest.raises(ValidationFailed) as error:
        _fix(case, intake_specialist, npi=theirs.npi)
    assert "npi" in error.value.field_errors
    assert _state(case) == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"npi": "123"}, "npi"),
        ({"npi": "1234567890"}, "npi"),  # ten digits, wrong check digit
        ({"network_status": "maybe"}, "network_status"),
        ({"how": "ok"}, "how"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(case, intake_specialist, overrides, field):
    before = _state(case)
    with pytest.raises(ValidationFailed) as error:
        _fix(case, intake_specialist, **overrides)
    assert field in error.value.field_errors
    assert _state(case) == before


@pytest.mark.django_db
def test_a_valid_npi_has_nothing_to_correct(intake_specialist, organization):
    case = make_case(actor=intake_specialist, organization=organization)
    with pytest.raises(InvalidTransition):
        _fix(case, intake_specialist)


@pytest.mark.django_db
def test_the_case_page_offers_the_form_and_records_the_npi(client_for, intake_specialist, case):
    client = client_for(intake_specialist)
    url = reverse("intake:case", args=[case.pk])
    assert 'id="provider-correct-requesting"' in client.get(url).content.decode()
    npi = valid_npi()
    response = client.post(
        reverse("intake:provider_correct", args=[case.pk, "requesting"]),
        {
            "provider-requesting-npi": npi,
            "provider-requesting-network_status": "in",
            "provider-requesting-how": "NPPES lookup; the office confirmed.",
        },
    )
    assert response.status_code == 302
    assert Provider.objects.get(pk=case.requesting_provider_id).npi == npi
    assert 'id="provider-correct-requesting"' not in client.get(url).content.decode()


@pytest.mark.django_db
def test_a_bad_form_answers_400_with_the_message(client_for, intake_specialist, case):
    before = _state(case)
    response = client_for(intake_specialist).post(
        reverse("intake:provider_correct", args=[case.pk, "requesting"]),
        {
            "provider-requesting-npi": "1234567890",
            "provider-requesting-network_status": "in",
            "provider-requesting-how": "NPPES lookup; the office confirmed.",
        },
    )
    assert response.status_code == 400
    assert "valid check digit" in response.content.decode()
    assert _state(case) == before


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["nurse", "director", "manager", "provider"])
def test_only_intake_may_correct(persona, personas, client_for, case):
    before = _state(case)
    response = client_for(personas[persona]).post(
        reverse("intake:provider_correct", args=[case.pk, "requesting"]),
        {
            "provider-requesting-npi": valid_npi(),
            "provider-requesting-network_status": "in",
            "provider-requesting-how": "NPPES lookup; the office confirmed.",
        },
    )
    assert response.status_code == 403
    assert _state(case) == before
