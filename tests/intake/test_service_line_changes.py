"""Changing the services of an undecided request (intake.services.lines): only the case's own
provider organisation or intake, never a decided request or a decided line, always audited."""

from datetime import timedelta

import pytest
from django.utils import timezone

from intake.models import CareRequestStatus, ServiceLine
from intake.services.lines import service_line_add, service_line_cancel, service_line_modify
from intake.services.receipt import ServiceLineInput
from tests.factories import category, make_case
from um_portal.audit.models import AuditEvent
from um_portal.lib.errors import InvalidTransition, NotPermitted, ValidationFailed


@pytest.fixture
def case(intake_specialist, organization):
    return make_case(actor=intake_specialist, organization=organization, lines=2)


def _input(code="72141", units=1, days=(5, 10)):
    start = timezone.localdate() + timedelta(days=days[0])
    return ServiceLineInput(
        code_system="cpt",
        code=code,
        category=category("imaging"),
        units=units,
        start_date=start,
        end_date=timezone.localdate() + timedelta(days=days[1]),
    )


@pytest.mark.django_db
def test_the_provider_adds_changes_and_cancels_services(case, provider_user):
    added = service_line_add(care_request=case, actor=provider_user, line=_input())
    assert added.sequence == 3
    first = case.service_lines.get(sequence=1)
    end = first.end_date + timedelta(days=30)
    service_line_modify(
        care_request=case,
        actor=provider_user,
        line=first,
        units=4,
        start_date=first.start_date,
        end_date=end,
    )
    first.refresh_from_db()
    assert (first.units, first.end_date) == (4, end)
    service_line_cancel(
        care_request=case, actor=provider_user, line=case.service_lines.get(sequence=2)
    )
    assert list(case.service_lines.values_list("sequence", flat=True)) == [1, 3]
    assert list(
        AuditEvent.objects.filter(case_id=case.pk, action__startswith="service_line.")
        .order_by("at")
        .values_list("action", flat=True)
    ) == ["service_line.added", "service_line.modified", "service_line.cancelled"]


@pytest.mark.django_db
def test_another_organisation_and_clinical_staff_may_not_change_services(case, outsider, nurse):
    for actor in (outsider, nurse):
        with pytest.raises(NotPermitted):
            service_line_add(care_request=case, actor=actor, line=_input())
    assert case.service_lines.count() == 2


@pytest.mark.django_db
def test_a_decided_request_or_line_is_not_changed(case, provider_user):
    line = case.service_lines.first()
    ServiceLine.objects.filter(pk=line.pk).update(decision=ServiceLine.Decision.APPROVED)
    with pytest.raises(InvalidTransition, match="already decided"):
        service_line_cancel(care_request=case, actor=provider_user, line=line)
    type(case).objects.filter(pk=case.pk).update(status=CareRequestStatus.DENIED)
    with pytest.raises(InvalidTransition, match="File a new request, or an appeal"):
        service_line_add(care_request=case, actor=provider_user, line=_input())
    assert case.service_lines.count() == 2


@pytest.mark.django_db
def test_bad_changes_are_refused_with_field_errors(case, provider_user):
    line = case.service_lines.first()
    with pytest.raises(ValidationFailed) as error:
        service_line_modify(
            care_request=case,
            actor=provider_user,
            line=line,
            units=0,
            start_date=line.end_date,
            end_date=line.start_date - timedelta(days=1),
        )
    assert set(error.value.field_errors) == {"units", "end_date"}
    with pytest.raises(ValidationFailed):
        service_line_add(care_request=case, actor=provider_user, line=_input(days=(-10, -5)))
    assert case.service_lines.count() == 2
    assert not AuditEvent.objects.filter(action__startswith="service_line.").exists()
