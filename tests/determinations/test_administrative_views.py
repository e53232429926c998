"""The "Administrative decision" page and where it is offered."""

import pytest
from django.urls import reverse

from determinations.models import Determination
from tests.determinations.admin_support import PROVISION, RATIONALE, admin_case

pytestmark = pytest.mark.django_db


def url(case):
    return reverse("determinations:administrative", args=[case.pk])


def test_intake_case_page_offers_it_and_the_form_denies(
    client_for, intake_specialist, organization
):
    case = admin_case(intake=intake_specialist, organization=organization)
    client = client_for(intake_specialist)
    assert url(case) in client.get(reverse("intake:case", args=[case.pk])).content.decode()
    page = client.get(url(case)).content.decode()
    assert "Not a covered benefit" in page
    assert "Out of network" not in page  # a director's reason by default
    response = client.post(
        url(case), {"reason_code": "not_covered", "provision": PROVISION, "rationale": RATIONALE}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "denied"


def test_bad_input_answers_400_with_field_errors_and_writes_nothing(
    client_for, intake_specialist, organization
):
    case = admin_case(intake=intake_specialist, organization=organization)
    client = client_for(intake_specialist)
    missing = client.post(url(case), {"reason_code": "not_covered", "rationale": RATIONALE})
    assert missing.status_code == 400
    # The provision is per line or common; with neither, the common field names the gap.
    assert missing.context["denial_form"].errors["provision"] == [
        "Name the plan provision the decision rests on."
    ]
    coded = client.post(
        url(case),
        {"reason_code": "not_covered", "provision": PROVISION, "rationale": "Code 72148 excluded."},
    )
    assert coded.status_code == 400
    assert "bare procedure or diagnosis codes" in coded.content.decode()
    medical = client.post(
        url(case),
        {"reason_code": "not_med_necessary", "provision": PROVISION, "rationale": RATIONALE},
    )
    assert medical.status_code == 400
    assert not Determination.objects.filter(care_request=case).exists()
    case.refresh_from_db()
    assert case.status == "submitted"


def test_nurse_case_view_offers_it_at_nurse_review(
    client_for, intake_specialist, nurse, organization
):
    case = admin_case(intake=intake_specialist, organization=organization, status="nurse_review")
    page = client_for(nurse).get(reverse("review:case", args=[case.pk])).content.decode()
    assert url(case) in page
    assert "Administrative decision" in page


def test_not_offered_to_a_role_allowed_no_reason(
    client_for, intake_specialist, nurse, organization
):
    case = admin_case(intake=intake_specialist, organization=organization)  # with intake
    page = client_for(nurse).get(reverse("review:case", args=[case.pk])).content.decode()
    assert url(case) not in page
    response = client_for(nurse).post(
        url(case), {"reason_code": "not_covered", "provision": PROVISION, "rationale": RATIONALE}
    )
    assert response.status_code == 400  # no reason is on offer to her: the choice is invalid
    assert not Determination.objects.filter(care_request=case).exists()


@pytest.mark.parametrize("role", ["provider", "manager", "outsider"])
def test_other_roles_cannot_open_it(role, personas, client_for, intake_specialist, organization):
    case = admin_case(intake=intake_specialist, organization=organization)
    assert client_for(personas[role]).get(url(case)).status_code in (403, 404)
    response = client_for(personas[role]).post(
        url(case), {"reason_code": "not_covered", "provision": PROVISION, "rationale": RATIONALE}
    )
    assert response.status_code in (403, 404)
    assert not Determination.objects.filter(care_request=case).exists()
