"""The staff header's "find a case by reference" box."""

import pytest
from django.urls import reverse

from tests.factories import make_case

FIND = reverse("review:find")


@pytest.mark.django_db
def test_a_nurse_finds_a_case_by_reference_in_any_case(client_for, nurse, intake_specialist):
    case = make_case(actor=intake_specialist)
    response = client_for(nurse).get(FIND, {"ref": f" {case.reference.lower()} "})
    assert response.status_code == 302
    assert response["Location"] == reverse("review:case", args=[case.pk])


@pytest.mark.django_db
def test_intake_lands_on_the_intake_case_page(client_for, intake_specialist):
    case = make_case(actor=intake_specialist)
    response = client_for(intake_specialist).get(FIND, {"ref": case.reference})
    assert response["Location"] == reverse("intake:case", args=[case.pk])


@pytest.mark.django_db
def test_an_unknown_reference_is_a_friendly_not_found(client_for, nurse):
    response = client_for(nurse).get(FIND, {"ref": "UM-NOPE0000"})
    assert response.status_code == 404
    html = response.content.decode()
    assert "No case you can open has the reference <strong>UM-NOPE0000</strong>." in html


@pytest.mark.django_db
def test_a_reviewer_cannot_find_a_providers_draft(client_for, nurse, intake_specialist):
    draft = make_case(actor=intake_specialist, submit=False)
    assert client_for(nurse).get(FIND, {"ref": draft.reference}).status_code == 404


@pytest.mark.django_db
def test_providers_have_neither_the_box_nor_the_page(
    client_for, provider_user, nurse, intake_specialist
):
    case = make_case(actor=intake_specialist)
    provider = client_for(provider_user)
    assert provider.get(FIND, {"ref": case.reference}).status_code == 403
    assert 'action="/review/find/"' not in provider.get(reverse("portal:home")).content.decode()
    staff_page = client_for(nurse).get(reverse("review:dashboard")).content.decode()
    assert '<form class="case-find" method="get" action="/review/find/"' in staff_page
