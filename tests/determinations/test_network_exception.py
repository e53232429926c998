"""The out-of-network exception: intake or the nurse asks, a medical director decides."""

import pytest
from django.urls import reverse

from determinations.models import Determination, NetworkException
from determinations.services.network_exception import (
    network_exception_decide,
    network_exception_request,
)
from intake.models import CareRequestStatus, Provider
from tests.determinations.admin_support import PROVISION, RATIONALE, admin_case
from um_portal.lib.errors import InvalidTransition, NotPermitted, ValidationFailed

pytestmark = pytest.mark.django_db
S = CareRequestStatus
WHY = "The only paediatric audiologist within 100 miles is outside the network."


@pytest.fixture
def oon_case(intake_specialist, organization):
    case = admin_case(intake=intake_specialist, organization=organization)
    Provider.objects.filter(pk=case.servicing_provider_id).update(network_status="out")
    case.refresh_from_db()
    return case


def ask(case, actor):
    return network_exception_request(case=case, actor=actor, basis="network_adequacy", reason=WHY)


def test_approved_exception_lets_the_case_go_on(oon_case, intake_specialist, director):
    exception = ask(oon_case, intake_specialist)
    with pytest.raises(InvalidTransition):
        ask(oon_case, intake_specialist)  # one open exception per case
    network_exception_decide(
        exception=exception, director=director, approve=True, note="No network audiologist nearby."
    )
    exception.refresh_from_db()
    oon_case.refresh_from_db()
    assert (exception.status, exception.decided_by) == ("approved", director)
    assert oon_case.status == S.SUBMITTED
    assert not Determination.objects.filter(care_request=oon_case).exists()


def test_denied_exception_denies_the_case_out_of_network_with_letters(
    oon_case, intake_specialist, director
):
    exception = ask(oon_case, intake_specialist)
    network_exception_decide(
        exception=exception, director=director, approve=False, note=RATIONALE, provision=PROVISION
    )
    oon_case.refresh_from_db()
    assert oon_case.status == S.DENIED
    d = Determination.objects.get(care_request=oon_case)
    assert (d.source, d.reason_code, d.administrative) == ("physician", "out_of_network", True)
    assert d.letters.count() == 2
    assert NetworkException.objects.get(pk=exception.pk).status == "denied"


def test_a_denial_without_a_provision_writes_nothing(oon_case, intake_specialist, director):
    exception = ask(oon_case, intake_specialist)
    with pytest.raises(ValidationFailed):
        network_exception_decide(
            exception=exception, director=director, approve=False, note=RATIONALE
        )
    exception.refresh_from_db()
    oon_case.refresh_from_db()
    assert (exception.status, oon_case.status) == ("requested", S.SUBMITTED)


@pytest.mark.parametrize("role", ["nurse", "provider", "manager", "director"])
def test_only_the_stages_owner_asks(role, personas, oon_case):
    with pytest.raises(NotPermitted):
        ask(oon_case, personas[role])
    assert not NetworkException.objects.exists()


@pytest.mark.parametrize("role", ["intake", "nurse", "manager"])
def test_only_a_director_decides(role, personas, oon_case, intake_specialist):
    exception = ask(oon_case, intake_specialist)
    with pytest.raises(NotPermitted):
        network_exception_decide(
            exception=exception, director=personas[role], approve=True, note=WHY
        )
    exception.refresh_from_db()
    assert exception.status == "requested"


def test_an_in_network_provider_needs_no_exception(intake_specialist, organization):
    case = admin_case(intake=intake_specialist, organization=organization)
    with pytest.raises(ValidationFailed):
        ask(case, intake_specialist)


def test_intake_asks_on_the_page(client_for, oon_case, intake_specialist):
    url = reverse("determinations:network_exception_new", args=[oon_case.pk])
    page = client_for(intake_specialist).get(
        reverse("determinations:administrative", args=[oon_case.pk])
    )
    assert url in page.content.decode()
    bad = client_for(intake_specialist).post(url, {"exception-basis": "single_case"})
    assert bad.status_code == 400
    assert not NetworkException.objects.exists()
    ok = client_for(intake_specialist).post(
        url, {"exception-basis": "single_case", "exception-reason": WHY}
    )
    assert ok.status_code == 302
    assert NetworkException.objects.get().basis == "single_case"


def test_director_list_and_decision_page(client_for, oon_case, intake_specialist, director):
    exception = ask(oon_case, intake_specialist)
    page = client_for(director).get(reverse("determinations:network_exceptions"))
    assert page.status_code == 200
    assert oon_case.reference in page.content.decode()
    assert (
        client_for(intake_specialist).get(reverse("determinations:network_exceptions")).status_code
        == 403
    )
    url = reverse("determinations:network_exception_decide", args=[exception.pk])
    bad = client_for(director).post(url, {"decide-decision": "deny", "decide-note": RATIONALE})
    assert bad.status_code == 400
    assert "Name the plan provision" in bad.content.decode()
    assert not Determination.objects.filter(care_request=oon_case).exists()
    ok = client_for(director).post(
        url,
        {"decide-decision": "deny", "decide-note": RATIONALE, "decide-provision": PROVISION},
    )
    assert ok.status_code == 302
    oon_case.refresh_from_db()
    assert oon_case.status == S.DENIED
