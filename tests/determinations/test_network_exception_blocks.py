"""An out-of-network request is approved only after its exception is approved (issue 19): while
the exception waits for a medical director, or after it was denied, no service of the case can
be approved — by the nurse, by a nurse approving the met lines, or by the director."""

import pytest
from django.urls import reverse

from determinations.models import Determination, NetworkException
from determinations.services.decide import determination_issue
from determinations.services.network_exception import (
    network_exception_approval_refusal,
    network_exception_decide,
    network_exception_request,
)
from determinations.services.validation import LineDecisionInput
from intake.models import CareRequest, CareRequestStatus, Provider
from review.services.nurse_review import care_request_nurse_approve, care_request_refer_to_director
from tests.review.conftest import answer_all
from um_portal.lib.errors import InvalidTransition

pytestmark = pytest.mark.django_db
S = CareRequestStatus
WHY = "The only spine imaging centre within 100 miles is outside the network."
PENDING = (
    "The out-of-network exception is waiting for a medical director: no service can be "
    "approved until the exception is approved."
)
DENIED = "The out-of-network exception was denied: the out-of-network services cannot be approved."


@pytest.fixture(autouse=True)
def _setup(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    from review.demo_criteria import seed_criteria_sets

    seed_criteria_sets()


@pytest.fixture
def oon_review(intake_specialist, nurse, organization):
    """An out-of-network lumbar MRI in nurse review, every criterion met, an exception asked."""
    from tests.factories import make_case
    from tests.review.conftest import to_nurse_review

    case = make_case(actor=intake_specialist, organization=organization, lines=2)
    case = to_nurse_review(case, intake=intake_specialist, assign_to=nurse)
    Provider.objects.filter(pk=case.servicing_provider_id).update(network_status="out")
    answer_all(case, nurse, "met")
    exception = network_exception_request(
        case=case, actor=nurse, basis="network_adequacy", reason=WHY
    )
    return case, exception


def assert_nothing_approved(case, status):
    case.refresh_from_db()
    assert case.status == status
    assert not Determination.objects.filter(care_request=case).exists()
    assert set(case.service_lines.values_list("decision", flat=True)) == {"pending"}
    assert case.auth_number == ""


def test_nurse_cannot_approve_while_the_exception_waits(oon_review, nurse):
    case, _ = oon_review
    with pytest.raises(InvalidTransition) as err:
        care_request_nurse_approve(care_request=case, nurse=nurse, summary="All met.")
    assert err.value.message == PENDING
    assert_nothing_approved(case, S.NURSE_REVIEW)


def test_nurse_approve_page_says_why(oon_review, nurse, client_for):
    case, _ = oon_review
    response = client_for(nurse).post(
        reverse("review:nurse_approve", args=[case.pk]), {"summary": "All met."}, follow=True
    )
    assert PENDING in response.content.decode()
    assert_nothing_approved(case, S.NURSE_REVIEW)


def test_nurse_cannot_approve_the_met_lines_while_referring(oon_review, nurse):
    case, _ = oon_review
    answer_all(case, nurse, "met", first_answer="not_met")
    with pytest.raises(InvalidTransition) as err:
        care_request_refer_to_director(
            care_request=case,
            nurse=nurse,
            summary="Line 1 lacks therapy.",
            recommendation="Decide line 1.",
            approve_met_lines=True,
        )
    assert err.value.message == PENDING
    assert_nothing_approved(case, S.NURSE_REVIEW)


def test_director_cannot_approve_until_the_exception_is_approved(oon_review, nurse, director):
    case, exception = oon_review
    care_request_refer_to_director(
        care_request=case, nurse=nurse, summary="Met.", recommendation="Approve if in network."
    )
    CareRequest.objects.filter(pk=case.pk).update(assigned_to=director)
    lines = list(case.service_lines.order_by("sequence"))
    approve_all = [LineDecisionInput(service_line=line, outcome="approved") for line in lines]
    with pytest.raises(InvalidTransition) as err:
        determination_issue(case=case, director=director, line_decisions=approve_all)
    assert err.value.message == PENDING
    assert_nothing_approved(case, S.MD_REVIEW)

    network_exception_decide(
        exception=exception, director=director, approve=True, note="No network centre nearby."
    )
    assert network_exception_approval_refusal(case) == ""
    determination = determination_issue(case=case, director=director, line_decisions=approve_all)
    assert determination.outcome == "approved"


def test_a_denied_exception_blocks_approval_too(oon_review, director):
    case, exception = oon_review
    # The service denies the case with the exception; a case left open beside a denied
    # exception (e.g. an older one) still cannot be approved.
    NetworkException.objects.filter(pk=exception.pk).update(status="denied")
    assert network_exception_approval_refusal(case) == DENIED
    CareRequest.objects.filter(pk=case.pk).update(status=S.MD_REVIEW)
    with pytest.raises(InvalidTransition) as err:
        determination_issue(
            case=case,
            director=director,
            line_decisions=[
                LineDecisionInput(service_line=line, outcome="approved")
                for line in case.service_lines.all()
            ],
        )
    assert err.value.message == DENIED
    assert_nothing_approved(case, S.MD_REVIEW)


def test_without_an_exception_nothing_is_blocked(intake_specialist, organization):
    from tests.factories import make_case

    case = make_case(actor=intake_specialist, organization=organization)
    assert network_exception_approval_refusal(case) == ""
